#!/usr/bin/env python3
"""The book marketplace's POP3 mailbox of the shop's seller account (a remote
party of the lab, run as labremote on 127.0.0.1). Messages are the files
*.eml in --spool (the marketplace drops them there); a session sees those
present at login, DELE + QUIT removes them. The account's password is the
old one until the file --rotated exists, then only the new one (the
marketplace's password rotation). Every command is logged (PASS masked)."""
import argparse, os, socketserver, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=1110)
ap.add_argument("--spool", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--user", default="orders-folio")
ap.add_argument("--old-password", required=True)
ap.add_argument("--new-password", required=True)
ap.add_argument("--rotated", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()


def log(peer, msg):
    with open(a.log, "a") as f:
        f.write("%s %s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), peer, msg))


class POP3(socketserver.StreamRequestHandler):
    timeout = 60

    def send(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        peer = "%s:%d" % self.client_address
        log(peer, "connect")
        self.send("+OK marketplace-mail POP3 ready")
        user, authed, msgs, deleted = None, False, [], set()
        while True:
            raw = self.rfile.readline()
            if not raw:
                break
            line = raw.decode("latin-1").rstrip("\r\n")
            cmd, _, arg = line.partition(" ")
            cmd = cmd.upper()
            log(peer, "PASS ****" if cmd == "PASS" else line)
            if cmd == "CAPA":
                self.send("+OK capability list follows")
                for c in ("USER", "UIDL", "TOP", "."):
                    self.send(c)
            elif cmd == "USER":
                user = arg
                self.send("+OK send PASS")
            elif cmd == "PASS":
                want = a.new_password if os.path.exists(a.rotated) else a.old_password
                if user == a.user and arg == want:
                    authed = True
                    msgs = sorted(p for p in os.listdir(a.spool) if p.endswith(".eml"))
                    self.send("+OK %d messages" % len(msgs))
                else:
                    log(peer, "authentication failed for %s" % user)
                    self.send("-ERR [AUTH] invalid credentials")
            elif cmd == "QUIT":
                for i in sorted(deleted):
                    try:
                        os.unlink(os.path.join(a.spool, msgs[i]))
                    except OSError:
                        pass
                self.send("+OK bye")
                break
            elif not authed:
                self.send("-ERR authenticate first")
            elif cmd == "STAT":
                live = [i for i in range(len(msgs)) if i not in deleted]
                self.send("+OK %d %d" % (len(live), sum(self.size(i, msgs) for i in live)))
            elif cmd in ("LIST", "UIDL"):
                if arg:
                    i = int(arg) - 1
                    self.send("+OK %d %s" % (i + 1, self.size(i, msgs) if cmd == "LIST" else msgs[i]))
                    continue
                self.send("+OK")
                for i in range(len(msgs)):
                    if i not in deleted:
                        self.send("%d %s" % (i + 1, self.size(i, msgs) if cmd == "LIST" else msgs[i][:-4]))
                self.send(".")
            elif cmd in ("RETR", "TOP"):
                parts = arg.split()
                i = int(parts[0]) - 1
                if i < 0 or i >= len(msgs) or i in deleted:
                    self.send("-ERR no such message")
                    continue
                body = open(os.path.join(a.spool, msgs[i]), "rb").read().decode("utf-8")
                lines = body.replace("\r\n", "\n").split("\n")
                if cmd == "TOP":
                    head, _, rest = body.replace("\r\n", "\n").partition("\n\n")
                    lines = head.split("\n") + [""] + rest.split("\n")[: int(parts[1]) if len(parts) > 1 else 0]
                self.send("+OK %d octets" % self.size(i, msgs))
                for l in lines:
                    self.wfile.write(((("." + l) if l.startswith(".") else l) + "\r\n").encode())
                self.send(".")
            elif cmd == "DELE":
                deleted.add(int(arg) - 1)
                self.send("+OK deleted")
            elif cmd == "NOOP":
                self.send("+OK")
            elif cmd == "RSET":
                deleted.clear()
                self.send("+OK")
            else:
                self.send("-ERR unknown command")
        log(peer, "close")

    def size(self, i, msgs):
        return os.path.getsize(os.path.join(a.spool, msgs[i]))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = Server(("127.0.0.1", a.port), POP3)
srv.timeout = 1
end = time.time() + a.lifetime
while time.time() < end:
    srv.handle_request()
