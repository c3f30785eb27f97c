'use strict';
// root's cron, every two minutes: visits from Apache's access log (root's)
// and the desk's synced check-ins, rolled up for the co-op's wall screen
const fs = require('fs');
const lines = fs.readFileSync('/var/log/cragboard/access.log', 'utf8').split('\n');
const routes = lines.filter(l => / "GET \/route\/[0-9]+ /.test(l)).length;
const checkins = fs.readdirSync('/var/spool/cragdesk/done').length;
const out = { at: new Date().toISOString(), requests: lines.length - 1, route_views: routes, checkins };
fs.writeFileSync('/var/lib/cragboard/occupancy.json', JSON.stringify(out) + '\n');
fs.appendFileSync('/var/log/cragboard/rollup.log', JSON.stringify(out) + '\n');
