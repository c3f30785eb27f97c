#!/usr/bin/env python3
"""Lab tooling: the attacker's DNS sink on 127.0.0.1 (UDP, runs as labremote).

Logs every query name (DNS-tunnelled exfiltration arrives as labels) and
answers NXDOMAIN. With --tasks DIR it is also a DNS TXT command server (the
polling beacon of scenario-nginx-lfi): a TXT query is answered with the next
queued task, the one line of DIR/next (written by the driver: a base64
command, or "x" = stop), which is then renamed to DIR/done-N; with nothing
queued the answer stays NXDOMAIN. Stops by itself after --lifetime seconds.

  dns-sink.py --port 5353 --out FILE [--tasks DIR] [--lifetime 300]
"""
import argparse
import os
import socket
import time


def question(pkt):
    labels, i = [], 12
    while i < len(pkt) and pkt[i] != 0:
        n = pkt[i]
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype = int.from_bytes(pkt[i + 1:i + 3], "big") if i + 3 <= len(pkt) else 0
    return ".".join(labels), qtype, i + 5  # end of the question (name, type, class)


def pop_task(d, served):
    """The queued task's line, or None; a served task is renamed done-N."""
    nxt = os.path.join(d, "next")
    try:
        with open(nxt) as fh:
            line = fh.read().strip()
    except OSError:
        return None
    served[0] += 1
    os.rename(nxt, os.path.join(d, "done-%d" % served[0]))
    return line


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tasks")
    p.add_argument("--lifetime", type=float, default=300)
    a = p.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", a.port))
    s.settimeout(1.0)
    end = time.time() + a.lifetime
    served = [0]
    with open(a.out, "a") as fh:
        while time.time() < end:
            try:
                pkt, peer = s.recvfrom(4096)
            except socket.timeout:
                continue
            if len(pkt) < 17:
                continue
            name, qtype, qend = question(pkt)
            task = pop_task(a.tasks, served) if a.tasks and qtype == 16 else None
            if a.tasks:
                fh.write("%.6f %s type=%d task=%s\n" % (time.time(), name, qtype, task or "-"))
            else:
                fh.write("%.6f %s\n" % (time.time(), name))
            fh.flush()
            if task is None:
                # header: same id, QR=1, opcode/RD copied, RA=1, RCODE=3 (NXDOMAIN), one question
                flags = 0x8000 | (pkt[2] << 8 & 0x7900) | 0x0080 | 3
                s.sendto(pkt[0:2] + flags.to_bytes(2, "big") + b"\x00\x01\x00\x00\x00\x00\x00\x00" + pkt[12:qend], peer)
                continue
            # one TXT answer (name by pointer to the question, TTL 0), AA, RCODE 0
            txt = task.encode("ascii")[:255]
            rdata = bytes([len(txt)]) + txt
            answer = b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00" + len(rdata).to_bytes(2, "big") + rdata
            flags = 0x8000 | (pkt[2] << 8 & 0x7900) | 0x0080 | 0x0400
            s.sendto(pkt[0:2] + flags.to_bytes(2, "big") + b"\x00\x01\x00\x01\x00\x00\x00\x00" + pkt[12:qend] + answer, peer)


if __name__ == "__main__":
    main()
