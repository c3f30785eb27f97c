// Cragboard 3.2: the Millstone Edge Climbing Co-op's route board, waivers and
// members' beta photos. Plain Node.js (no framework), run by Phusion
// Passenger under Apache: Passenger's node loader takes over listen(), so the
// port below is never opened; the app's processes run as cragboard, the
// owner of this file. Static files (public/) are served by Apache itself.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const cp = require('child_process');
const { deepMerge } = require('./lib/merge');

const APP = __dirname;
const ROOT = path.dirname(APP);                 // /srv/cragboard
const DATA = path.join(ROOT, 'data');
const CONF = JSON.parse(fs.readFileSync(path.join(ROOT, 'conf', 'settings.json'), 'utf8'));
const CACHE = '/var/lib/cragboard';
const UPLOADS = path.join(APP, 'public', 'uploads');
const LOG = fs.createWriteStream('/var/log/cragboard/app.log', { flags: 'a' });

const routes = JSON.parse(fs.readFileSync(path.join(DATA, 'routes.json'), 'utf8'));
const members = JSON.parse(fs.readFileSync(path.join(DATA, 'members.json'), 'utf8'));
let prefs = {};
try { prefs = JSON.parse(fs.readFileSync(path.join(DATA, 'prefs.json'), 'utf8')); } catch (e) { prefs = {}; }
const DEFAULT_PREFS = { theme: 'light', grades: 'font', units: 'metric', notify: { newRoutes: true, events: false } };

// widgets: small add-ons the volunteers write (widgets/<name>.js, mounted on /w/<name>), loaded at start
const widgets = {};
for (const f of fs.readdirSync(path.join(APP, 'widgets')).sort()) {
  if (!f.endsWith('.js')) continue;
  try { const w = require(path.join(APP, 'widgets', f)); widgets[w.name] = w; } catch (e) { console.error('widget', f, e.message); }
}

function esc(s) { return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c])); }
function sign(id) { return crypto.createHmac('sha256', CONF.secret).update(id).digest('hex').slice(0, 20); }
function member(req) {
  const m = /(?:^|;\s*)cb_member=([A-Z0-9-]+)\.([0-9a-f]{20})/.exec(req.headers.cookie || '');
  return m && sign(m[1]) === m[2] && members[m[1]] ? m[1] : null;
}
function send(res, code, body, type) { res.writeHead(code, { 'Content-Type': type || 'text/html; charset=utf-8' }); res.end(body); }
function json(res, code, obj) { send(res, code, JSON.stringify(obj), 'application/json'); }
function page(title, body) {
  return `<!doctype html><html><head><title>${esc(title)} - Cragboard</title><link rel="stylesheet" href="/board.css"></head>` +
    `<body><h1>Millstone Edge Climbing Co-op</h1><h2>${esc(title)}</h2>${body}<footer>Cragboard 3.2</footer></body></html>`;
}
function body(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = []; let n = 0;
    req.on('data', c => { n += c.length; if (n > limit) { reject(new Error('too large')); req.destroy(); } else chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
function form(buf) { return Object.fromEntries(new URLSearchParams(buf.toString())); }
// the member's settings as the page scripts read them (own and default keys)
function publicPrefs(p) { const out = {}; for (const k in p) out[k] = p[k]; return out; }

const server = http.createServer(async (req, res) => {
  const t0 = Date.now();
  res.on('finish', () => LOG.write(`${new Date().toISOString()} ${process.pid} ${req.method} ${req.url} ${res.statusCode} ${Date.now() - t0}ms\n`));
  try { await handle(req, res); } catch (e) { console.error(e.stack); if (!res.headersSent) send(res, 500, 'internal error\n', 'text/plain'); }
});

async function handle(req, res) {
  const u = new URL(req.url, 'http://cragboard.lab.local');
  const p = u.pathname;
  let m;
  if (p === '/' && req.method === 'GET') {
    return send(res, 200, page('Route board', '<ul>' + routes.map(r =>
      `<li><a href="/route/${r.id}">${esc(r.name)}</a> ${esc(r.grade)} (${esc(r.wall)}, set ${esc(r.set)})</li>`).join('') + '</ul>'));
  }
  if ((m = /^\/route\/([0-9]+)$/.exec(p)) && req.method === 'GET') {
    const r = routes.find(x => x.id === m[1]);
    if (!r) return send(res, 404, page('Not found', ''));
    const beta = fs.readdirSync(UPLOADS).filter(f => f.startsWith(`b${r.id}-`)).slice(-6);
    return send(res, 200, page(r.name, `<p>${esc(r.grade)} on the ${esc(r.wall)}, set by ${esc(r.setter)} on ${esc(r.set)}</p>` +
      `<img src="/route/${r.id}/photo?w=480"><p><a href="/route/${r.id}/card.pdf">route card</a></p>` +
      beta.map(f => `<img src="/uploads/${esc(f)}" width="160">`).join('')));
  }
  if ((m = /^\/route\/([0-9]+)\/photo$/.exec(p)) && req.method === 'GET') {
    const r = routes.find(x => x.id === m[1]);
    const w = parseInt(u.searchParams.get('w') || '480', 10);
    if (!r || !(w >= 64 && w <= 2000)) return send(res, 400, 'bad request\n', 'text/plain');
    const out = path.join(CACHE, 'thumbs', `r${r.id}-${w}.png`);
    if (!fs.existsSync(out)) {
      await new Promise((resolve, reject) => cp.execFile('/usr/bin/convert',
        [path.join(DATA, 'photos', `wall-${r.wall}.png`), '-resize', `${w}x`, out], e => e ? reject(e) : resolve()));
    }
    return send(res, 200, fs.readFileSync(out), 'image/png');
  }
  if ((m = /^\/route\/([0-9]+)\/card\.pdf$/.exec(p)) && req.method === 'GET') {
    // the route card is laid out by a worker process (fork), so a big batch never blocks the board
    const r = routes.find(x => x.id === m[1]);
    if (!r) return send(res, 404, 'no such route\n', 'text/plain');
    const out = path.join(CACHE, 'cards', `card-${r.id}.pdf`);
    const ok = await new Promise(resolve => {
      const w = cp.fork(path.join(APP, 'lib', 'card-worker.js'), [], { cwd: APP, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let err = '';
      w.stderr.on('data', c => { err += c; });
      w.on('message', msg => resolve(msg && msg.ok));
      w.on('exit', code => { if (code) console.error(`card worker exited ${code}: ${err.slice(0, 400)}`); resolve(false); });
      w.on('error', () => resolve(false));
      w.send({ route: r, out });
    });
    if (!ok) return send(res, 500, 'card could not be made\n', 'text/plain');
    return send(res, 200, fs.readFileSync(out), 'application/pdf');
  }
  if (p === '/healthz' && req.method === 'GET') {
    const out = await new Promise(resolve => cp.execFile('/bin/df', ['-P', ROOT], (e, o) => resolve(e ? null : o)));
    return out ? send(res, 200, 'ok\n' + out.split('\n')[1] + '\n', 'text/plain') : send(res, 503, 'disk?\n', 'text/plain');
  }
  if (p === '/api/login' && req.method === 'POST') {
    const f = form(await body(req, 4096));
    const id = String(f.member || '').toUpperCase();
    if (!members[id] || members[id].surname.toLowerCase() !== String(f.surname || '').toLowerCase()) return json(res, 403, { error: 'unknown member' });
    res.setHeader('Set-Cookie', `cb_member=${id}.${sign(id)}; Path=/; HttpOnly`);
    return json(res, 200, { member: id, name: members[id].name });
  }
  if (p === '/api/me' && req.method === 'GET') {
    const id = member(req);
    if (!id) return json(res, 401, { error: 'login first' });
    return json(res, 200, { member: id, name: members[id].name, pass: members[id].pass, prefs: publicPrefs(prefs[id] || DEFAULT_PREFS) });
  }
  if (p === '/api/me/prefs' && (req.method === 'PATCH' || req.method === 'POST')) {
    const id = member(req);
    if (!id) return json(res, 401, { error: 'login first' });
    let patch;
    try { patch = JSON.parse((await body(req, 16384)).toString()); } catch (e) { return json(res, 400, { error: 'bad json' }); }
    prefs[id] = deepMerge(prefs[id] || JSON.parse(JSON.stringify(DEFAULT_PREFS)), patch);
    fs.writeFileSync(path.join(DATA, 'prefs.json'), JSON.stringify(prefs, null, 1));
    return json(res, 200, { ok: true, prefs: publicPrefs(prefs[id]) });
  }
  if ((m = /^\/route\/([0-9]+)\/beta$/.exec(p)) && req.method === 'POST') {
    // members share beta photos of a route: stored in public/uploads, shown on the route page
    const id = member(req);
    if (!id) return json(res, 401, { error: 'login first' });
    const r = routes.find(x => x.id === m[1]);
    const name = String(u.searchParams.get('name') || '');
    const ext = (/\.(jpe?g|png)$/i.exec(name) || [])[1];
    if (!r || !ext) return json(res, 400, { error: 'a .jpg or .png please' });
    const buf = await body(req, 2 << 20);
    const f = `b${r.id}-${Date.now()}.${ext.toLowerCase()}`;
    fs.writeFileSync(path.join(UPLOADS, f), buf);
    return json(res, 200, { ok: true, url: `/uploads/${f}`, bytes: buf.length });
  }
  if (p === '/waiver' && req.method === 'POST') {
    const f = form(await body(req, 8192));
    if (!f.name || !/^[^@\s]+@[^@\s]+$/.test(f.email || '')) return send(res, 400, page('Waiver', '<p>name and e-mail please</p>'));
    const n = Date.now();
    const rec = { id: `W-${n}`, name: f.name, email: f.email, dob: f.dob || '', signed: new Date(n).toISOString() };
    const wf = path.join(DATA, 'waivers.json');
    const all = JSON.parse(fs.readFileSync(wf, 'utf8')); all.push(rec); fs.writeFileSync(wf, JSON.stringify(all, null, 1));
    fs.writeFileSync(`/var/spool/cragdesk/in/${rec.id}.json`, JSON.stringify(rec));       // for the front desk's till
    const safe = f.name.replace(/[^A-Za-z .'-]/g, '').replace(/'/g, '').slice(0, 60);
    const ms = path.join(CACHE, 'waivers', `${rec.id}.ms`);
    fs.writeFileSync(ms, `.TL\nClimbing waiver\n.PP\n${safe} accepts the co-op's rules, ${rec.signed}.\n`);
    cp.exec(`groff -Tps -ms ${ms} | ps2pdf - ${path.join(CACHE, 'waivers', rec.id + '.pdf')}`, () => {});
    const mail = cp.spawn('/usr/sbin/sendmail', ['-t', '-i'], { stdio: ['pipe', 'ignore', 'ignore'] });
    mail.stdin.end(`To: ${f.email}\nFrom: Millstone Edge <desk@millstone-edge.lab.local>\nSubject: Your climbing waiver\n\nThanks ${safe}, see you on the wall.\n`);
    return send(res, 200, page('Waiver', `<p>Thanks, ${esc(f.name)}: your waiver ${rec.id} is on file.</p>`));
  }
  if (p === '/export' && req.method === 'GET') {
    if (req.headers['x-staff-key'] !== CONF.staff_key) return send(res, 403, 'staff only\n', 'text/plain');
    const month = u.searchParams.get('month') || '';
    if (!/^20[0-9]{2}-[01][0-9]$/.test(month)) return send(res, 400, 'month=YYYY-MM\n', 'text/plain');
    const all = JSON.parse(fs.readFileSync(path.join(DATA, 'waivers.json'), 'utf8')).filter(w => w.signed.startsWith(month));
    const csv = path.join(CACHE, 'exports', `waivers-${month}.csv`), zip = csv.replace(/\.csv$/, '.zip');
    fs.writeFileSync(csv, 'id,name,email,signed\n' + all.map(w => [w.id, w.name, w.email, w.signed].map(x => `"${String(x).replace(/"/g, '""')}"`).join(',')).join('\n') + '\n');
    await new Promise(resolve => cp.execFile('/usr/bin/zip', ['-j', '-q', '-o', zip, csv], () => resolve()));
    return send(res, 200, fs.readFileSync(zip), 'application/zip');
  }
  if ((m = /^\/w\/([a-z0-9-]+)$/.exec(p)) && widgets[m[1]]) return widgets[m[1]].handle(req, res);
  return send(res, 404, page('Not found', '<p>No such page.</p>'));
}

server.listen(3000);   // Passenger's node loader replaces this with its own socket
