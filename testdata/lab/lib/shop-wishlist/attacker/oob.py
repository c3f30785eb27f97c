#!/usr/bin/env python3
"""The attacker's out-of-band catcher (labremote): logs whatever reaches
TCP 127.0.0.1:--port (read until the peer shuts its side), answers 'ok'."""
import argparse, socket, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=8025)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()
log = open(a.log, "a", buffering=1)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", a.port)); s.listen(8); s.settimeout(1)
end = time.time() + a.lifetime
while time.time() < end:
    try:
        c, p = s.accept()
    except socket.timeout:
        continue
    c.settimeout(4)
    data = b""
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            data += d
    except socket.timeout:
        pass
    log.write("=== %s from %s:%d (%d bytes)\n%s\n" % (time.strftime("%H:%M:%S", time.gmtime()), p[0], p[1], len(data), data.decode("utf-8", "replace")))
    try:
        c.sendall(b"ok\n"); c.close()
    except OSError:
        pass
