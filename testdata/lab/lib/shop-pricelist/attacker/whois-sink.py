#!/usr/bin/env python3
"""Lab tooling (scenario shop-pricelist): the attacker's WHOIS server on
127.0.0.1 (runs as labremote). Every connection sends one query line; it is
appended to --out and answered with a short "no match". Stops by itself
after --lifetime seconds.

  whois-sink.py --port 4343 --out FILE [--lifetime 600]
"""
import argparse
import socketserver
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lifetime", type=float, default=600)
    a = p.parse_args()
    lock = threading.Lock()

    class H(socketserver.StreamRequestHandler):
        def handle(self):
            self.request.settimeout(10)
            try:
                line = self.rfile.readline(65536)
            except OSError:
                return
            with lock, open(a.out, "a") as fh:
                fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), line.decode("latin-1").strip()))
            self.wfile.write(b"% No entries found for the selected source(s).\r\n")

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    srv = S(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
