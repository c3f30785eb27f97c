#!/usr/bin/env python3
"""Lab tooling (runs as labremote): the mail provider's submission relay as
far as a client's test needs it, on 127.0.0.1 TCP: EHLO (AUTH LOGIN PLAIN),
AUTH, MAIL, RCPT, DATA, RSET, NOOP, QUIT. Every account/password is accepted
(the lab has one); the dialogue and the messages go to --out. Stops by itself
after --lifetime seconds.

  smtp-relay.py --port 2525 --out LOG [--lifetime 900]
"""
import argparse
import base64
import socketserver
import threading
import time

LOG = None


class Session(socketserver.StreamRequestHandler):
    timeout = 30

    def send(self, line):
        self.wfile.write((line + "\r\n").encode())
        LOG.write("S: %s\n" % line)

    def recv(self):
        line = self.rfile.readline(4096)
        if not line:
            return None
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        LOG.write("C: %s\n" % line)
        return line

    def handle(self):
        LOG.write("--- %.6f connection\n" % time.time())
        self.send("220 relay.mailprovider.example ESMTP ready")
        while True:
            line = self.recv()
            if line is None:
                break
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-relay.mailprovider.example\r\n250-SIZE 26214400\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n")
                LOG.write("S: 250 (EHLO capabilities)\n")
            elif verb == "AUTH":
                parts = line.split()
                if len(parts) >= 2 and parts[1].upper() == "LOGIN":
                    self.send("334 " + base64.b64encode(b"Username:").decode())
                    user = self.recv()
                    self.send("334 " + base64.b64encode(b"Password:").decode())
                    self.recv()
                    LOG.write("   (user %s)\n" % base64.b64decode(user or "").decode("utf-8", "replace"))
                self.send("235 2.7.0 Authentication successful")
            elif verb == "DATA":
                self.send("354 End data with <CR><LF>.<CR><LF>")
                while True:
                    d = self.recv()
                    if d is None or d == ".":
                        break
                self.send("250 2.0.0 Ok: queued as 7F3A21C04B")
            elif verb == "QUIT":
                self.send("221 2.0.0 Bye")
                break
            else:
                self.send("250 2.1.0 Ok")
        LOG.flush()


def main():
    global LOG
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    LOG = open(a.out, "a")
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", a.port), Session)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever(poll_interval=1.0)


if __name__ == "__main__":
    main()
