#!/usr/bin/env python3
"""The price portal's feed intake API (a remote party, run as labremote):
POST .../feeds/parts stores one part (X-Feed-Id, X-Part: i/n), POST
.../feeds/complete checks the joined parts against the sha256 sent. Every
request is logged; stops by itself after --lifetime seconds."""
import argparse, hashlib, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=9443)
ap.add_argument("--dir", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--token", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()
os.makedirs(a.dir, exist_ok=True)
lock = threading.Lock()


def log(msg):
    with lock, open(a.log, "a") as fh:
        fh.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), msg))


class H(BaseHTTPRequestHandler):
    def reply(self, code, body):
        b = (body + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        fid = "".join(c for c in self.headers.get("X-Feed-Id", "") if c.isalnum())
        if self.headers.get("Authorization") != "Bearer " + a.token:
            log("401 %s" % self.path)
            return self.reply(401, '{"error":"unauthorized"}')
        if self.path.endswith("/feeds/parts"):
            part = self.headers.get("X-Part", "0/0")
            i = int(part.split("/")[0])
            with open(os.path.join(a.dir, "%s.%03d" % (fid, i)), "wb") as fh:
                fh.write(body)
            log("part %s %s %d bytes" % (fid, part, len(body)))
            return self.reply(202, '{"accepted":true}')
        if self.path.endswith("/feeds/complete"):
            q = parse_qs(body.decode())
            parts = sorted(p for p in os.listdir(a.dir) if p.startswith(fid + "."))
            h = hashlib.sha256()
            for p in parts:
                with open(os.path.join(a.dir, p), "rb") as fh:
                    h.update(fh.read())
            ok = h.hexdigest() == q.get("sha256", [""])[0] and len(parts) == int(q.get("parts", ["-1"])[0])
            log("complete %s %d parts %s" % (fid, len(parts), "ok" if ok else "CHECKSUM MISMATCH"))
            for p in parts:
                os.unlink(os.path.join(a.dir, p))
            return self.reply(200 if ok else 409, '{"feed":"%s","status":"%s"}' % (fid, "queued" if ok else "rejected"))
        log("404 %s" % self.path)
        self.reply(404, '{"error":"not found"}')

    def log_message(self, *args):
        pass


srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
threading.Timer(a.lifetime, srv.shutdown).start()
srv.serve_forever()
