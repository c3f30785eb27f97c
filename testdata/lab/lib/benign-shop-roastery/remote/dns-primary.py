#!/usr/bin/env python3
"""Lab tooling (runs as labremote): the hosting company's hidden primary for
roastery.example, as far as the shop's certificate renewal needs it, on
127.0.0.1 UDP. Dynamic updates (RFC 2136, address-based policy: any update
from 127.0.0.1 is taken) add and delete TXT records; TXT queries are
answered from them, anything else gets NXDOMAIN. Every message is logged.
Stops by itself after --lifetime seconds.

  dns-primary.py --port 5354 --out FILE [--lifetime 900]
"""
import argparse
import socket
import struct
import time


def read_name(pkt, i):
    labels, jumped, end = [], False, None
    for _ in range(128):
        n = pkt[i]
        if n == 0:
            i += 1
            break
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = i + 2
            i, jumped = ((n & 0x3F) << 8) | pkt[i + 1], True
            continue
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    return ".".join(labels).lower(), (end if jumped else i)


def encode_name(name):
    out = b""
    for label in name.strip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    txt = {}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", a.port))
    s.settimeout(1.0)
    end = time.time() + a.lifetime
    with open(a.out, "a") as fh:
        while time.time() < end:
            try:
                pkt, peer = s.recvfrom(4096)
            except socket.timeout:
                continue
            if len(pkt) < 12:
                continue
            qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", pkt[:12])
            opcode = (flags >> 11) & 0xF
            try:
                name, i = read_name(pkt, 12)
                qtype, qclass = struct.unpack(">HH", pkt[i:i + 4])
                qend = i + 4
            except (IndexError, struct.error):
                continue
            if opcode == 5:  # UPDATE: zone, prerequisites (an), updates (ns)
                i, rcode = qend, 0
                try:
                    for _ in range(an):
                        _, i = read_name(pkt, i)
                        rdlen = struct.unpack(">H", pkt[i + 8:i + 10])[0]
                        i += 10 + rdlen
                    for _ in range(ns):
                        rname, i = read_name(pkt, i)
                        rtype, rclass, ttl, rdlen = struct.unpack(">HHIH", pkt[i:i + 10])
                        rdata = pkt[i + 10:i + 10 + rdlen]
                        i += 10 + rdlen
                        if rtype != 16:
                            rcode = 5  # REFUSED: only TXT here
                            continue
                        if rclass == 255:  # delete the RRset
                            txt.pop(rname, None)
                            fh.write("%.6f %s UPDATE delete %s TXT\n" % (time.time(), peer[0], rname))
                        elif rclass == 1:
                            strings, j = [], 0
                            while j < len(rdata):
                                strings.append(rdata[j + 1:j + 1 + rdata[j]].decode("ascii", "replace"))
                                j += 1 + rdata[j]
                            txt.setdefault(rname, []).append("".join(strings))
                            fh.write("%.6f %s UPDATE add %s %d TXT %s\n" % (time.time(), peer[0], rname, ttl, "".join(strings)))
                except (IndexError, struct.error):
                    rcode = 1
                fh.flush()
                s.sendto(struct.pack(">HHHHHH", qid, 0x8000 | (5 << 11) | rcode, 1, 0, 0, 0) + pkt[12:qend], peer)
                continue
            rd = flags & 0x0100
            vals = txt.get(name, []) if qtype == 16 else []
            fh.write("%.6f %s QUERY %s type=%d %s\n" % (time.time(), peer[0], name, qtype, "TXT %d" % len(vals) if vals else "NXDOMAIN"))
            fh.flush()
            if not vals:
                s.sendto(struct.pack(">HHHHHH", qid, 0x8400 | rd | 3, 1, 0, 0, 0) + pkt[12:qend], peer)
                continue
            ans = b""
            for v in vals:
                b = v.encode("ascii")[:255]
                rdata = bytes([len(b)]) + b
                ans += b"\xc0\x0c" + struct.pack(">HHIH", 16, 1, 60, len(rdata)) + rdata
            s.sendto(struct.pack(">HHHHHH", qid, 0x8400 | rd, 1, len(vals), 0, 0) + pkt[12:qend] + ans, peer)


if __name__ == "__main__":
    main()
