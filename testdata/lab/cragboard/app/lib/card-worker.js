'use strict';
// Lays out a route card (A6 PDF) for the board's printer; run by app.js with
// child_process.fork: the route comes in by IPC, the file's path goes back.
const fs = require('fs');
function pdf(lines) {
  const text = lines.map((l, i) => `BT /F1 ${i ? 11 : 18} Tf 24 ${380 - i * 22} Td (${String(l).replace(/[()\\]/g, '')}) Tj ET`).join('\n');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  let out = '%PDF-1.4\n'; const off = [];
  objs.forEach((o, i) => { off.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const x = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + off.map(o => String(o).padStart(10, '0') + ' 00000 n \n').join('');
  return out + `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${x}\n%%EOF\n`;
}
process.on('message', ({ route, out }) => {
  fs.writeFileSync(out, pdf([route.name, `Grade ${route.grade}`, `Wall: ${route.wall}`, `Setter: ${route.setter}`, `Set ${route.set}`, 'Millstone Edge Climbing Co-op']));
  process.send({ ok: true }, () => process.exit(0));
});
