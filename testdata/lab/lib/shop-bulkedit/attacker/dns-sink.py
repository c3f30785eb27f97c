#!/usr/bin/env python3
"""The attacker's name server for the update zone (remote party, labremote):
accepts every DNS UPDATE (RFC 2136) sent to it over UDP, answers NOERROR,
and logs each update's TXT records (owner name + strings) to --log."""
import argparse, socket, struct, time

ap = argparse.ArgumentParser()
ap.add_argument('--port', type=int, default=5353)
ap.add_argument('--log', required=True)
ap.add_argument('--lifetime', type=int, default=900)
a = ap.parse_args()

def name(d, p):
    labels = []
    while True:
        l = d[p]
        if l == 0:
            return '.'.join(labels) + '.', p + 1
        if l & 0xc0:
            off = struct.unpack('>H', d[p:p + 2])[0] & 0x3fff
            n, _ = name(d, off)
            return '.'.join(labels + [n.rstrip('.')]) + '.', p + 2
        labels.append(d[p + 1:p + 1 + l].decode('latin-1')); p += 1 + l

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', a.port)); s.settimeout(2)
end = time.time() + a.lifetime
while time.time() < end:
    try:
        d, peer = s.recvfrom(65535)
    except socket.timeout:
        continue
    try:
        tid, flags, zc, pc, uc, ac = struct.unpack('>HHHHHH', d[:12])
        zone, p = name(d, 12); p += 4
        zend = p
        recs = []
        for _ in range(pc + uc):
            n, p = name(d, p)
            typ, cls, ttl, rdl = struct.unpack('>HHIH', d[p:p + 10]); p += 10
            rd = d[p:p + rdl]; p += rdl
            if typ == 16:
                strs, i = [], 0
                while i < len(rd):
                    strs.append(rd[i + 1:i + 1 + rd[i]].decode('latin-1')); i += 1 + rd[i]
                recs.append('%s TXT %s' % (n, ' '.join(strs)))
            else:
                recs.append('%s type %d' % (n, typ))
        with open(a.log, 'a') as f:
            for r in recs:
                f.write('%s\t%s:%d\tzone %s\t%s\n' % (time.strftime('%H:%M:%S', time.gmtime()), peer[0], peer[1], zone, r))
        s.sendto(struct.pack('>HHHHHH', tid, 0x8000 | (flags & 0x7800), 1, 0, 0, 0) + d[12:zend], peer)
    except Exception as e:
        with open(a.log, 'a') as f:
            f.write('%s\terror %s\n' % (time.strftime('%H:%M:%S', time.gmtime()), e))
