// Lab "orders" JSON API (Node.js, http module only), served behind nginx
// (127.0.0.1:8090 -> 127.0.0.1:3100) by the service account svc-orders.
//
// DELIBERATELY VULNERABLE (lab only):
//  - POST /api/v1/labels {"order": "...", "format": "..."} builds a shell
//    command line for the label printer helper from the JSON body and runs it
//    with child_process.exec (a shell: CWE-78 command injection).
//  - POST /api/v1/ops/diag {"bin": "/usr/bin/...", "argv": [...]} is an
//    "ops diagnostics" endpoint that runs any binary under /usr/bin with
//    execFile and an argv array (no shell; the prefix check is the only guard).
// Benign routes that shell out: GET /api/v1/health (execFile df, no shell),
// POST /api/v1/labels with a real order (mklabel renders a PDF-ish label),
// POST /api/v1/invoices/preview (execFile of mkpreview), GET /api/v1/orders,
// POST /api/v1/products/thumbnail (exec of ImageMagick convert, sanitised
// SKU), POST /api/v1/orders/notify (execFile sendmail -t -i, mail on stdin),
// POST /api/v1/hooks/backup (token; exec tar czf of the labels).
'use strict';
const http = require('http');
const fs = require('fs');
const { exec, execFile } = require('child_process');

const PORT = 3100;
const LOG = '/var/log/orders/orderd.log';
const ORDERS = JSON.parse(fs.readFileSync('/srv/orders/data/orders.json', 'utf8'));

function log(line) {
  fs.appendFile(LOG, new Date().toISOString() + ' ' + line + '\n', () => {});
}

function send(res, code, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function readJSON(req, cb) {
  let data = '';
  req.on('data', (c) => { data += c; if (data.length > 65536) req.destroy(); });
  req.on('end', () => {
    try { cb(null, data ? JSON.parse(data) : {}); } catch (e) { cb(e); }
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const rid = req.headers['x-request-id'] || '-';
  res.on('finish', () => log(`${req.method} ${req.url} ${res.statusCode} rid=${rid}`));

  if (req.method === 'GET' && url.pathname === '/api/v1/health') {
    // disk space of the data volume, no shell
    execFile('/usr/bin/df', ['-P', '/srv/orders/data'], (err, out) => {
      send(res, err ? 500 : 200, { status: err ? 'degraded' : 'ok', df: String(out).split('\n')[1] || '' });
    });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/api/v1/orders') {
    const st = url.searchParams.get('status');
    send(res, 200, { orders: ORDERS.filter((o) => !st || o.status === st) });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/labels') {
    readJSON(req, (e, body) => {
      if (e) return send(res, 400, { error: 'bad json' });
      const order = String(body.order || '');
      const format = String(body.format || 'pdf');
      // the flaw: request fields inside a shell command line
      exec('/usr/local/bin/mklabel ' + order + ' ' + format, { timeout: 60000 }, (err, out, errout) => {
        send(res, err ? 500 : 200, { ok: !err, output: String(out) + String(errout) });
      });
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/invoices/preview') {
    readJSON(req, (e, body) => {
      if (e) return send(res, 400, { error: 'bad json' });
      const order = String(body.order || '').replace(/[^0-9]/g, '');
      execFile('/usr/local/bin/mkpreview', [order, '--width', '64'], { timeout: 60000 }, (err, out) => {
        send(res, err ? 500 : 200, { ok: !err, preview: String(out) });
      });
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/products/thumbnail') {
    readJSON(req, (e, body) => {
      if (e) return send(res, 400, { error: 'bad json' });
      const sku = String(body.sku || '').replace(/[^A-Z0-9-]/g, '');
      exec(`convert /srv/orders/media/${sku}.png -resize 64x64 /srv/orders/cache/thumb-${sku}.png`, { timeout: 60000 }, (err) => {
        send(res, err ? 500 : 200, { ok: !err, thumb: `/cache/thumb-${sku}.png` });
      });
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/orders/notify') {
    readJSON(req, (e, body) => {
      if (e) return send(res, 400, { error: 'bad json' });
      const o = ORDERS.find((x) => x.id === String(body.order || ''));
      if (!o) return send(res, 404, { error: 'no such order' });
      const child = execFile('/usr/sbin/sendmail', ['-t', '-i'], { timeout: 60000 }, (err) => {
        send(res, err ? 500 : 200, { ok: !err });
      });
      child.stdin.end(`To: ${o.customer}@customers.lab.local\nSubject: order ${o.id} is ${o.status}\n\nThank you for your order.\n`);
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/hooks/backup') {
    if (req.headers['x-hook-token'] !== 'lab-backup-token') return send(res, 403, { error: 'bad token' });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    exec(`tar czf /srv/orders/backups/labels-${stamp}.tgz -C /srv/orders labels && ls -l /srv/orders/backups | tail -n 1`, { timeout: 60000 }, (err, out) => {
      send(res, err ? 500 : 200, { ok: !err, out: String(out) });
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/ops/diag') {
    readJSON(req, (e, body) => {
      if (e) return send(res, 400, { error: 'bad json' });
      const bin = String(body.bin || '');
      const argv = Array.isArray(body.argv) ? body.argv.map(String) : [];
      // the "guard": only binaries under /usr/bin (meant for uptime, df, free)
      if (!bin.startsWith('/usr/bin/')) return send(res, 403, { error: 'not allowed' });
      execFile(bin, argv, { timeout: 60000 }, (err, out, errout) => {
        send(res, 200, { code: err ? err.code : 0, output: String(out) + String(errout) });
      });
    });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/') {
    send(res, 200, { service: 'orders', version: fs.readFileSync('/srv/orders/VERSION', 'utf8').trim() });
    return;
  }
  send(res, 404, { error: 'not found' });
});

server.listen(PORT, '127.0.0.1', () => log(`orderd listening on 127.0.0.1:${PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
