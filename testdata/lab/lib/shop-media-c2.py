#!/usr/bin/env python3
"""Lab tooling: the attacker's HTTP tasking server for scenario-shop-specsheet
(runs as labremote on 127.0.0.1). GET /t/<id> answers the oldest file of
--tasks (moved to done/ once sent) or nothing; POST /r/<id> appends the body
to --store/results.log. Every request is logged to --store/requests.log.

  shop-media-c2.py --port 8088 --tasks DIR --store DIR [--lifetime 900]
"""
import argparse
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tasks", required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    os.makedirs(os.path.join(a.tasks, "done"), exist_ok=True)
    os.makedirs(a.store, exist_ok=True)
    lock = threading.Lock()

    class H(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            with open(os.path.join(a.store, "requests.log"), "a") as fh:
                fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

        def do_GET(self):
            body = b""
            if self.path.startswith("/t/"):
                with lock:
                    names = sorted(n for n in os.listdir(a.tasks) if not n.startswith(".") and n != "done")
                    if names:
                        src = os.path.join(a.tasks, names[0])
                        with open(src, "rb") as fh:
                            body = fh.read()
                        os.rename(src, os.path.join(a.tasks, "done", names[0]))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(n) if n else b""
            with open(os.path.join(a.store, "results.log"), "ab") as fh:
                fh.write(b"=== %s %s (%d bytes)\n" % (time.strftime("%H:%M:%S").encode(), self.path.encode(), len(data)))
                fh.write(data + b"\n")
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
