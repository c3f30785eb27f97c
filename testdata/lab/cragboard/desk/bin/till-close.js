'use strict';
// the till's drawer report, printed on the desk's receipt printer (root's
// device); run by cragdesk through sudo
const fs = require('fs');
const done = fs.readdirSync('/var/spool/cragdesk/done').length;
const line = `${new Date().toISOString()} drawer: ${done} records synced today\n`;
fs.appendFileSync('/var/lib/cragdesk/printer.out', line);
process.stdout.write(line);
