#!/usr/bin/env python3
"""The attacker's web server on 127.0.0.1:8445 (runs as labremote): serves
its tools under /static/ and takes chat-webhook posts (multipart with a
payload_json part and a file) under /api/webhooks/<id>/<token>, saving the
files into --drop and logging every request."""
import argparse, email.parser, email.policy, http.server, os, socketserver, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=8445)
ap.add_argument("--static", required=True)
ap.add_argument("--drop", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=1200)
a = ap.parse_args()


def log(msg):
    with open(a.log, "a") as f:
        f.write("%s %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), msg))


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        name = os.path.basename(self.path.split("?")[0])
        p = os.path.join(a.static, name)
        if not self.path.startswith("/static/") or not os.path.isfile(p):
            log("GET %s 404 ua=%s" % (self.path, self.headers.get("User-Agent")))
            self.send_response(404); self.end_headers(); return
        data = open(p, "rb").read()
        log("GET %s 200 %d bytes ua=%s" % (self.path, len(data), self.headers.get("User-Agent")))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if not self.path.startswith("/api/webhooks/"):
            log("POST %s 404" % self.path)
            self.send_response(404); self.end_headers(); return
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers.get("Content-Type", "").encode() + b"\r\n\r\n" + body)
        parts = []
        for part in msg.iter_parts() if msg.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            fn = part.get_filename()
            data = part.get_payload(decode=True) or b""
            if fn:
                out = os.path.join(a.drop, "%d-%s" % (int(time.time()), os.path.basename(fn)))
                open(out, "wb").write(data)
                parts.append("%s=file %s (%d bytes, saved)" % (name, fn, len(data)))
            else:
                parts.append("%s=%s" % (name, data.decode("utf-8", "replace")[:200]))
        log("POST %s %d bytes ua=%s: %s" % (self.path, n, self.headers.get("User-Agent"), "; ".join(parts)))
        self.send_response(204); self.end_headers()


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = S(("127.0.0.1", a.port), H)
threading.Timer(a.lifetime, srv.shutdown).start()
log("listening on 127.0.0.1:%d" % a.port)
srv.serve_forever()
