#!/usr/bin/env python3
"""The mail provider's relay (a remote party, run as labremote): a small
SMTP server that takes AUTH PLAIN/LOGIN and every message, and keeps the
transcript's envelope and the messages in --out (a log and an mbox)."""
import argparse, base64, socketserver, threading, time


class H(socketserver.StreamRequestHandler):
    def w(self, s):
        self.wfile.write((s + "\r\n").encode())

    def handle(self):
        log = self.server.log
        def note(s):
            with open(log, "a") as fh:
                fh.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), s))
        note("connect")
        self.w("220 relay.mailprovider.example ESMTP ready")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                break
            cmd = line.decode("utf-8", "replace").rstrip("\r\n")
            up = cmd.upper()
            if up.startswith("EHLO"):
                note(cmd)
                self.w("250-relay.mailprovider.example"); self.w("250-AUTH PLAIN LOGIN"); self.w("250-SIZE 20971520"); self.w("250 8BITMIME")
            elif up.startswith("HELO"):
                note(cmd); self.w("250 relay.mailprovider.example")
            elif up.startswith("AUTH PLAIN"):
                parts = cmd.split()
                tok = parts[2] if len(parts) > 2 else None
                if tok is None:
                    self.w("334 "); tok = self.rfile.readline().decode().strip()
                user = base64.b64decode(tok + "==").split(b"\0")[1].decode("utf-8", "replace") if tok else "?"
                note("AUTH PLAIN user=%s" % user); self.w("235 2.7.0 Authentication successful")
            elif up.startswith("AUTH LOGIN"):
                self.w("334 VXNlcm5hbWU6"); user = base64.b64decode(self.rfile.readline().strip() + b"==").decode("utf-8", "replace")
                self.w("334 UGFzc3dvcmQ6"); self.rfile.readline()
                note("AUTH LOGIN user=%s" % user); self.w("235 2.7.0 Authentication successful")
            elif up.startswith("MAIL FROM"):
                mail_from, rcpts = cmd[10:].strip(), []; self.w("250 2.1.0 Ok")
            elif up.startswith("RCPT TO"):
                rcpts.append(cmd[8:].strip()); self.w("250 2.1.5 Ok")
            elif up == "DATA":
                self.w("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data.append(l.decode("utf-8", "replace").rstrip("\r\n"))
                with open(self.server.mbox, "a") as fh:
                    fh.write("From %s %s\n%s\n\n" % (mail_from, time.asctime(time.gmtime()), "\n".join(data)))
                note("message from %s to %s, %d lines" % (mail_from, ",".join(rcpts), len(data)))
                self.w("250 2.0.0 Ok: queued")
            elif up == "QUIT":
                self.w("221 2.0.0 Bye"); break
            elif up in ("RSET", "NOOP"):
                self.w("250 2.0.0 Ok")
            else:
                note("unknown: %s" % cmd[:60]); self.w("502 5.5.2 Error: command not recognized")
        note("close")


class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=2525)
    p.add_argument("--log", required=True)
    p.add_argument("--mbox", required=True)
    p.add_argument("--lifetime", type=int, default=1200)
    a = p.parse_args()
    srv = S(("127.0.0.1", a.port), H)
    srv.log, srv.mbox = a.log, a.mbox
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
