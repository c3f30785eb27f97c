#!/usr/bin/python3
"""The remote parties of scenario-cuspid-labelfmt (runs as labremote):
 - the attacker's XMPP server look-alike (plain TCP 127.0.0.1:5222, no TLS):
   a client stream, SASL PLAIN, presence; the tasks DIR/tasks/NNN not yet
   delivered go out as <message from='ops@chat.lab'> stanzas with id NNN; a
   message back with id NNN is the answer (base64 body -> DIR/out/NNN), any
   other message body goes to DIR/c2.log ('message: ...');
 - the attacker's S3-compatible object store look-alike (HTTP 127.0.0.1:9000):
   multipart uploads (POST ?uploads, PUT ?partNumber&uploadId, POST
   ?uploadId) and plain PUTs with an AWS4-HMAC-SHA256 Authorization header,
   kept in DIR/s3/ and logged to DIR/s3.log.
  cuspid-c2.py DIR [--max-seconds N]"""
import base64, os, re, socket, sys, threading, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

D = sys.argv[1]
MAX = int(sys.argv[sys.argv.index("--max-seconds") + 1]) if "--max-seconds" in sys.argv else 1500
for sub in ("tasks", "out", "s3"):
    os.makedirs(os.path.join(D, sub), exist_ok=True)
lock = threading.Lock()
delivered = set()


def log(m, f="c2.log"):
    with lock, open(os.path.join(D, f), "a") as o:
        o.write("%s %s\n" % (time.strftime("%H:%M:%S"), m))


def pending():
    with lock:
        return [n for n in sorted(os.listdir(D + "/tasks")) if n.isdigit() and n not in delivered]


def xmpp_client(c, addr):
    c.settimeout(0.3)
    buf = b""
    jid = "?"
    authed = False
    try:
        while not os.path.exists(D + "/stop"):
            try:
                d = c.recv(65536)
                if not d:
                    break
                buf += d
            except socket.timeout:
                pass
            s = buf.decode("utf-8", "replace")
            if "<stream:stream" in s and not s.startswith("#"):
                c.sendall(b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                          b"from='chat.lab' id='" + uuid.uuid4().hex[:12].encode() + b"' version='1.0'>")
                c.sendall(b"<stream:features>" + (b"<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>" if authed else
                          b"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>")
                          + b"</stream:features>")
                buf = re.sub(rb"<\?xml[^>]*\?>", b"", buf)
                buf = re.sub(rb"<stream:stream[^>]*>", b"", buf)
                continue
            m = re.search(r"<auth [^>]*>([^<]*)</auth>", s)
            if m:
                try:
                    jid = base64.b64decode(m.group(1)).split(b"\0")[1].decode() + "@chat.lab"
                except Exception:
                    pass
                c.sendall(b"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
                authed = True
                log("xmpp %s authenticated as %s" % (addr[0], jid))
                buf = buf[buf.index(b"</auth>") + 7:]
                continue
            m = re.search(r"<iq [^>]*id='([^']+)'[^>]*>.*?</iq>", s, re.S)
            if m:
                c.sendall(("<iq type='result' id='%s'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>%s/mill</jid></bind></iq>"
                           % (m.group(1), jid)).encode())
                buf = buf[len(s[:m.end()].encode()):]
                continue
            m = re.search(r"<message [^>]*?(?:id='(\d+)')?[^>]*>\s*<body>(.*?)</body>\s*</message>", s, re.S)
            if m:
                body = m.group(2)
                tid = re.search(r"id='(\d+)'", m.group(0).split("<body>")[0])
                if tid:
                    with open("%s/out/%03d" % (D, int(tid.group(1))), "wb") as o:
                        o.write(base64.b64decode(body))
                    log("answer to task %03d: %d bytes" % (int(tid.group(1)), len(body)))
                else:
                    log("message: %s" % body[:300])
                buf = buf[len(s[:m.end()].encode()):]
                continue
            if "<presence" in s:
                buf = re.sub(rb"<presence[^>]*/>|<presence[^>]*>.*?</presence>", b"", buf, flags=re.S)
            if authed:
                for t in pending():
                    with lock:
                        delivered.add(t)
                    text = open(D + "/tasks/" + t).read().rstrip("\n")
                    c.sendall(("<message from='ops@chat.lab/console' to='%s/mill' type='chat' id='%s'><body>%s</body></message>"
                               % (jid, t, escape(text))).encode())
                    log("task %s delivered to %s: %s" % (t, jid, text[:200].replace("\n", " | ")))
            if "</stream:stream>" in s:
                break
    except OSError as e:
        log("xmpp %s: %s" % (addr[0], e))
    finally:
        log("xmpp %s (%s) closed" % (addr[0], jid))
        c.close()


def xmpp_server():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 5222))
    s.listen(8)
    while True:
        c, addr = s.accept()
        threading.Thread(target=xmpp_client, args=(c, addr), daemon=True).start()


class S3(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-request-id", uuid.uuid4().hex[:16].upper())
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self):
        b = self.body()
        auth = self.headers.get("Authorization", "")[:60]
        if self.path.endswith("?uploads"):
            uid = uuid.uuid4().hex
            log("POST %s initiate %s (%s)" % (self.path, uid, auth), "s3.log")
            return self.reply(200, ("<InitiateMultipartUploadResult><UploadId>%s</UploadId></InitiateMultipartUploadResult>" % uid).encode())
        m = re.search(r"uploadId=(\w+)", self.path)
        if m:
            parts = sorted(p for p in os.listdir(D + "/s3") if p.startswith(m.group(1) + "."))
            with open("%s/s3/%s.object" % (D, m.group(1)), "wb") as o:
                for p in parts:
                    o.write(open("%s/s3/%s" % (D, p), "rb").read())
            log("POST %s complete: %d parts, %d bytes" % (self.path, len(parts), os.path.getsize("%s/s3/%s.object" % (D, m.group(1)))), "s3.log")
            return self.reply(200, b"<CompleteMultipartUploadResult><ETag>\"ok\"</ETag></CompleteMultipartUploadResult>")
        self.reply(400)

    def do_PUT(self):
        b = self.body()
        m = re.search(r"partNumber=(\d+)&uploadId=(\w+)", self.path)
        name = "%s.%05d" % (m.group(2), int(m.group(1))) if m else uuid.uuid4().hex + ".put"
        with open("%s/s3/%s" % (D, name), "wb") as o:
            o.write(b)
        log("PUT %s %d bytes (%s)" % (self.path, len(b), self.headers.get("Authorization", "")[:60]), "s3.log")
        self.send_response(200)
        self.send_header("ETag", '"%s"' % uuid.uuid4().hex)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    threading.Thread(target=xmpp_server, daemon=True).start()
    s3 = ThreadingHTTPServer(("127.0.0.1", 9000), S3)
    s3.daemon_threads = True
    threading.Thread(target=s3.serve_forever, daemon=True).start()
    log("listening: xmpp 127.0.0.1:5222, s3 http 127.0.0.1:9000")
    t0 = time.time()
    while time.time() - t0 < MAX and not os.path.exists(D + "/stop"):
        time.sleep(0.5)
    log("stopping")


main()
