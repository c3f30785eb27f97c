#!/usr/bin/env python3
"""Lab tooling (runs as labremote): the SIEM's syslog collector on 127.0.0.1
UDP; every datagram is appended to --out with the time it arrived. Stops by
itself after --lifetime seconds.

  syslog-sink.py --port 5514 --out LOG [--lifetime 900]
"""
import argparse
import socket
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", a.port))
    s.settimeout(1.0)
    end = time.time() + a.lifetime
    with open(a.out, "a") as fh:
        while time.time() < end:
            try:
                pkt, _ = s.recvfrom(8192)
            except socket.timeout:
                continue
            fh.write("%.6f %s\n" % (time.time(), pkt.decode("utf-8", "replace").rstrip("\n")))
            fh.flush()


if __name__ == "__main__":
    main()
