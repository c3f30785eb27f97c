#!/usr/bin/env python3
"""Lab tooling: the attacker's DNS sink on 127.0.0.1 (UDP, runs as labremote).

Logs every query name (DNS-tunnelled exfiltration arrives as labels) and
answers NXDOMAIN. Stops by itself after --lifetime seconds.

  dns-sink.py --port 5353 --out FILE [--lifetime 300]
"""
import argparse
import socket
import time


def qname(pkt):
    labels, i = [], 12
    while i < len(pkt) and pkt[i] != 0:
        n = pkt[i]
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    return ".".join(labels), i + 5  # end of the question (name, type, class)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lifetime", type=float, default=300)
    a = p.parse_args()
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
            name, qend = qname(pkt)
            fh.write("%.6f %s\n" % (time.time(), name))
            fh.flush()
            # header: same id, QR=1, opcode/RD copied, RA=1, RCODE=3 (NXDOMAIN), one question
            flags = 0x8000 | (pkt[2] << 8 & 0x7900) | 0x0080 | 3
            s.sendto(pkt[0:2] + flags.to_bytes(2, "big") + b"\x00\x01\x00\x00\x00\x00\x00\x00" + pkt[12:qend], peer)


if __name__ == "__main__":
    main()
