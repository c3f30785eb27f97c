#!/usr/bin/env python3
"""Lab tooling (runs as labremote): the domain registry's WHOIS as far as the
shop's club-account check needs it, on 127.0.0.1 TCP (RFC 3912: one query
line, the answer, close). Domains in --data (domain;changed date) answer
'Status: connect' and their 'Changed:' date, every other one 'Status: free'.
Every query is logged. Stops by itself after --lifetime seconds.

  whois-server.py --port 4343 --data FILE --out LOG [--lifetime 900]
"""
import argparse
import socket
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    known = {}
    for line in open(a.data):
        if ";" in line:
            d, changed = line.strip().split(";", 1)
            known[d.lower()] = changed
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", a.port))
    s.listen(16)
    s.settimeout(1.0)
    end = time.time() + a.lifetime
    with open(a.out, "a") as log:
        while time.time() < end:
            try:
                c, _ = s.accept()
            except socket.timeout:
                continue
            c.settimeout(5)
            try:
                q = b""
                while b"\n" not in q and len(q) < 512:
                    chunk = c.recv(512)
                    if not chunk:
                        break
                    q += chunk
                dom = q.decode("utf-8", "replace").strip().lower()
                if dom in known:
                    ans = ("Domain: %s\nNserver: ns1.hosting.example\nNserver: ns2.hosting.example\nStatus: connect\n"
                           "Changed: %s\n" % (dom, known[dom]))
                else:
                    ans = "Domain: %s\nStatus: free\n" % dom
                c.sendall(ans.encode())
                log.write("%.6f %s %s\n" % (time.time(), dom, "connect" if dom in known else "free"))
                log.flush()
            except OSError:
                pass
            finally:
                c.close()


if __name__ == "__main__":
    main()
