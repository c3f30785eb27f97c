'use strict';
// grades: the Font <-> V-scale table the board's grade picker uses
const table = [['4', 'V0'], ['5', 'V1'], ['5+', 'V2'], ['6A', 'V3'], ['6B', 'V4'], ['6C', 'V5'], ['7A', 'V6'], ['7A+', 'V7'], ['7B', 'V8']];
module.exports = {
  name: 'grades',
  handle(req, res) { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(table)); },
};
