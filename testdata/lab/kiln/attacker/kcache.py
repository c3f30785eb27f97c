#!/usr/bin/python3
# "kiln-cache": polls a memcached server for tasks (get kc:task:<host>), runs each with sh -c and
# stores the output (set kc:out:<n>); python3 stdlib only
import base64, socket, subprocess, time
HOST = ("127.0.0.1", 11311)
NODE = socket.gethostname()

def talk(sock, line, data=None):
    sock.sendall(line.encode() + b"\r\n" + (data + b"\r\n" if data is not None else b""))
    buf = b""
    while not (buf.endswith(b"END\r\n") or buf.endswith(b"STORED\r\n") or buf.endswith(b"ERROR\r\n")):
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf

for _ in range(100000):
    try:
        with socket.create_connection(HOST, timeout=10) as s:
            while True:
                r = talk(s, "get kc:task:%s" % NODE)
                if r.startswith(b"VALUE "):
                    head, body = r.split(b"\r\n", 1)
                    n = head.split()[1].decode().rsplit(":", 1)[-1]
                    cmd = base64.b64decode(body[: int(head.split()[3])]).decode()
                    if cmd == "exit":
                        raise SystemExit(0)
                    out = subprocess.run(["/bin/sh", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
                    enc = base64.b64encode(out)
                    talk(s, "set kc:out:%s 0 0 %d" % (n, len(enc)), enc)
                time.sleep(2)
    except (OSError, ValueError):
        time.sleep(3)
