#!/usr/bin/env python3
"""The hosting package's mail relay (remote party, labremote): a minimal SMTP
server on 127.0.0.1:2525 that delivers every message into --dir as
<n>-<recipient>.eml. The shop's mailboxes (@shop.lab.local) sit behind the
provider's link protection: a few seconds after delivery every http(s) link
of such a message is fetched once (GET) and logged to --scanlog."""
import argparse, os, re, socket, threading, time, urllib.request

UA = 'Mozilla/5.0 (compatible; MailGuard-LinkCheck/3.2; +https://mailguard.example/bot)'


def scan(a, path, lock):
    time.sleep(1.5)
    body = open(path, errors='replace').read()
    for url in re.findall(r'https?://[^\s<>"]+', body):
        try:
            r = urllib.request.urlopen(urllib.request.Request(url, headers={'User-Agent': UA}), timeout=5)
            code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except Exception as e:
            code = 'error %s' % e.__class__.__name__
        with lock, open(a.scanlog, 'a') as f:
            f.write('%s\t%s\t%s\t%s\n' % (time.strftime('%H:%M:%S', time.gmtime()), os.path.basename(path), url, code))


def session(a, c, state):
    f = c.makefile('rwb')

    def say(s):
        f.write((s + '\r\n').encode()); f.flush()
    say('220 relay.hosting.example ESMTP')
    rcpt, data = [], None
    try:
        while True:
            line = f.readline()
            if not line:
                return
            cmd = line.decode('utf-8', 'replace').strip()
            up = cmd.upper()
            if up.startswith('EHLO') or up.startswith('HELO'):
                say('250-relay.hosting.example'); say('250 8BITMIME')
            elif up.startswith('MAIL FROM'):
                rcpt = []; say('250 ok')
            elif up.startswith('RCPT TO'):
                rcpt.append(cmd.split(':', 1)[1].strip().strip('<>')); say('250 ok')
            elif up == 'DATA':
                say('354 go ahead')
                lines = []
                while True:
                    l = f.readline()
                    if not l or l in (b'.\r\n', b'.\n'):
                        break
                    lines.append(l[1:] if l.startswith(b'..') else l)
                with state['lock']:
                    state['n'] += 1
                    n = state['n']
                for r in rcpt:
                    p = os.path.join(a.dir, '%04d-%s.eml' % (n, re.sub(r'[^A-Za-z0-9@._-]', '_', r)))
                    with open(p, 'wb') as out:
                        out.write(b''.join(lines))
                    if r.lower().endswith('@shop.lab.local'):
                        threading.Thread(target=scan, args=(a, p, state['lock']), daemon=True).start()
                say('250 queued as %04d' % n)
            elif up == 'QUIT':
                say('221 bye'); return
            else:
                say('250 ok')
    except Exception:
        pass
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, default=2525)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--scanlog', required=True)
    ap.add_argument('--lifetime', type=int, default=900)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    state = {'n': 0, 'lock': threading.Lock()}
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', a.port)); s.listen(16); s.settimeout(1)
    end = time.time() + a.lifetime
    while time.time() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=session, args=(a, c, state), daemon=True).start()


if __name__ == '__main__':
    main()
