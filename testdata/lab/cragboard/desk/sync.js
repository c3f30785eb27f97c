'use strict';
// cragdesk: the front desk's till sync. Every 15 s the waivers and check-ins
// the board drops into /var/spool/cragdesk/in go to the co-op's accounting
// service; every 3 minutes the till's drawer report is printed (root's
// receipt printer: sudo, see /etc/sudoers.d/cragdesk).
const fs = require('fs');
const path = require('path');
const http = require('http');
const cp = require('child_process');
const CONF = JSON.parse(fs.readFileSync('/srv/cragdesk/conf/desk.json', 'utf8'));
const IN = '/var/spool/cragdesk/in', DONE = '/var/spool/cragdesk/done';
function log(s) { fs.appendFileSync('/var/log/cragdesk/sync.log', `${new Date().toISOString()} ${s}\n`); }

function push() {
  const files = fs.readdirSync(IN).filter(f => f.endsWith('.json')).sort();
  if (!files.length) return;
  const batch = files.map(f => JSON.parse(fs.readFileSync(path.join(IN, f), 'utf8')));
  const body = JSON.stringify({ desk: CONF.desk_id, records: batch });
  const req = http.request({ host: CONF.accounting_host, port: CONF.accounting_port, path: '/api/v2/checkins', method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Authorization': `Bearer ${CONF.accounting_token}`, 'Content-Length': Buffer.byteLength(body) }, timeout: 5000 },
  res => {
    res.resume();
    res.on('end', () => {
      if (res.statusCode === 200) { for (const f of files) fs.renameSync(path.join(IN, f), path.join(DONE, f)); log(`pushed ${files.length}`); }
      else log(`accounting answered ${res.statusCode}`);
    });
  });
  req.on('error', e => log(`accounting: ${e.message}`));
  req.end(body);
}
function drawer() {
  cp.execFile('/usr/bin/sudo', ['-n', '/usr/bin/node', '/srv/cragdesk/bin/till-close.js'], (e, out, err) => log(`drawer report: ${e ? 'failed ' + err.trim() : out.trim()}`));
}
log(`started pid ${process.pid}`);
setInterval(push, 15000);
setInterval(drawer, 180000);
