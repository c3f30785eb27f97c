'use strict';
// end of day: the synced records moved into a dated folder (sudo, as root)
const fs = require('fs');
const d = `/var/spool/cragdesk/archive/${new Date().toISOString().slice(0, 10)}`;
fs.mkdirSync(d, { recursive: true });
for (const f of fs.readdirSync('/var/spool/cragdesk/done')) fs.renameSync(`/var/spool/cragdesk/done/${f}`, `${d}/${f}`);
