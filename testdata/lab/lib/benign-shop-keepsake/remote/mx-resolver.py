#!/usr/bin/env python3
"""Lab tooling (runs as labremote): the hosting company's caching resolver as
far as the shop's newsletter check needs it, on 127.0.0.1 UDP. An MX query
for a domain of --domains is answered with "10 mx1.<domain>."; every other
name gets NXDOMAIN (typos such as gmial.example). Every query is logged.
Stops by itself after --lifetime seconds.

  mx-resolver.py --port 5353 --out FILE --domains a.example,b.example [--lifetime 900]
"""
import argparse
import socket
import time


def question(pkt):
    labels, i = [], 12
    while i < len(pkt) and pkt[i] != 0:
        n = pkt[i]
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype = int.from_bytes(pkt[i + 1:i + 3], "big") if i + 3 <= len(pkt) else 0
    return ".".join(labels), qtype, i + 5


def encode_name(name):
    out = b""
    for label in name.strip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--domains", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    known = {d.strip().lower() for d in a.domains.split(",") if d.strip()}
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
            if len(pkt) < 17:
                continue
            name, qtype, qend = question(pkt)
            hit = qtype == 15 and name.lower() in known
            fh.write("%.6f %s type=%d %s\n" % (time.time(), name, qtype, "MX" if hit else "NXDOMAIN"))
            fh.flush()
            rd = pkt[2] & 0x01
            if not hit:
                flags = 0x8000 | (rd << 8) | 0x0080 | (3 if name.lower() not in known else 0)
                s.sendto(pkt[0:2] + flags.to_bytes(2, "big") + b"\x00\x01\x00\x00\x00\x00\x00\x00" + pkt[12:qend], peer)
                continue
            rdata = b"\x00\x0a" + encode_name("mx1." + name)
            answer = b"\xc0\x0c\x00\x0f\x00\x01\x00\x00\x0e\x10" + len(rdata).to_bytes(2, "big") + rdata
            flags = 0x8000 | (rd << 8) | 0x0080
            s.sendto(pkt[0:2] + flags.to_bytes(2, "big") + b"\x00\x01\x00\x01\x00\x00\x00\x00" + pkt[12:qend] + answer, peer)


if __name__ == "__main__":
    main()
