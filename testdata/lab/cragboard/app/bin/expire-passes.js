'use strict';
// cragboard's crontab, every minute: day passes older than a day are marked expired
const fs = require('fs');
const f = '/srv/cragboard/data/members.json';
const m = JSON.parse(fs.readFileSync(f, 'utf8'));
let n = 0;
for (const id of Object.keys(m)) {
  if (m[id].pass === 'day' && Date.now() - Date.parse(m[id].since) > 86400e3) { m[id].pass = 'expired'; n++; }
}
if (n) fs.writeFileSync(f, JSON.stringify(m, null, 1));
console.log(`${new Date().toISOString()} expire-passes: ${n} expired, ${Object.keys(m).length} members`);
