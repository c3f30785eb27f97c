#!/usr/bin/env python3
"""Lab tooling: the attacker's HTTP server on 127.0.0.1 (runs as labremote).

GET serves files from --serve (tool downloads); PUT and POST store the body
under --store (exfiltration sink). Stops by itself after --lifetime seconds.

  attacker-http.py --port 8000 --store DIR [--serve DIR] [--lifetime 600]
"""
import argparse
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--serve")
    p.add_argument("--lifetime", type=float, default=600)
    a = p.parse_args()
    os.makedirs(a.store, exist_ok=True)
    counter = [0]

    class H(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            with open(os.path.join(a.store, "requests.log"), "a") as fh:
                fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

        def _store(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            counter[0] += 1
            name = "%03d-%s" % (counter[0], os.path.basename(self.path.rstrip("/")) or "body")
            with open(os.path.join(a.store, name), "wb") as fh:
                fh.write(body)
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = _store
        do_POST = _store

        def do_GET(self):
            path = os.path.join(a.serve or "/nonexistent", os.path.basename(self.path))
            if not a.serve or not os.path.isfile(path):
                self.send_error(404)
                return
            data = open(path, "rb").read()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
