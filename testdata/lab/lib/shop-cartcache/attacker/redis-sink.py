#!/usr/bin/env python3
"""Lab tooling (scenario shop-cartcache): the attacker's fake Redis node on
127.0.0.1 (runs as labremote). Speaks just enough RESP to take what a real
Redis sends with MIGRATE (SELECT, RESTORE key ttl payload [REPLACE]):
answers +OK to every command, logs each command (long arguments cut) to
--log and stores every RESTORE payload under --store. Stops by itself after
--lifetime seconds.

  redis-sink.py --port 6390 --store DIR --log FILE [--lifetime 600]
"""
import argparse
import os
import socketserver
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=float, default=600)
    a = p.parse_args()
    os.makedirs(a.store, exist_ok=True)
    n = [0]

    def log(line):
        with open(a.log, "a") as fh:
            fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), line))

    class H(socketserver.StreamRequestHandler):
        def read_cmd(self):
            line = self.rfile.readline()
            if not line:
                return None
            if not line.startswith(b"*"):
                return line.strip().split()
            args = []
            for _ in range(int(line[1:])):
                ln = self.rfile.readline()
                size = int(ln[1:])
                args.append(self.rfile.read(size + 2)[:-2])
            return args

        def handle(self):
            log("connection from %s:%d" % self.client_address)
            while True:
                cmd = self.read_cmd()
                if cmd is None:
                    break
                name = cmd[0].decode(errors="replace").upper() if cmd else ""
                shown = [c.decode(errors="replace") if len(c) <= 64 else "<%d bytes>" % len(c) for c in cmd]
                log(" ".join(shown))
                if name in ("RESTORE", "RESTORE-ASKING") and len(cmd) >= 4:
                    n[0] += 1
                    f = os.path.join(a.store, "restore-%d-%s.bin" % (n[0], cmd[1].decode(errors="replace").replace("/", "_")))
                    with open(f, "wb") as fh:
                        fh.write(cmd[3])
                    log("stored %d bytes in %s" % (len(cmd[3]), os.path.basename(f)))
                if name == "PING":
                    self.wfile.write(b"+PONG\r\n")
                else:
                    self.wfile.write(b"+OK\r\n")
                self.wfile.flush()

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    srv = S(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
