#!/usr/bin/env python3
"""The ops team's NMS trap receiver (a remote party, labremote): logs every
SNMP trap that reaches UDP 127.0.0.1:--port (community and string varbinds).
Stops after --lifetime seconds."""
import argparse, select, socket, time


def tlv(d, i):
    t = d[i]; l = d[i + 1]; i += 2
    if l & 0x80:
        n = l & 0x7f; l = int.from_bytes(d[i:i + n], "big"); i += n
    return t, d[i:i + l], i + l


def walk(d, acc):
    i = 0
    while i < len(d):
        t, v, i = tlv(d, i)
        if t & 0x20:
            walk(v, acc)
        elif t == 0x04:
            acc.append(v.decode("latin-1"))
    return acc


ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=16200)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", a.port))
log = open(a.log, "a", buffering=1)
end = time.time() + a.lifetime
while time.time() < end:
    if select.select([s], [], [], 1)[0]:
        d, p = s.recvfrom(65535)
        try:
            v = walk(d, [])
            log.write("%s trap from %s community=%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), p[0], v[0], " | ".join(v[1:])))
        except Exception as e:
            log.write("%s undecodable trap from %s (%s)\n" % (time.strftime("%H:%M:%S", time.gmtime()), p[0], e))
