#!/usr/bin/env python3
"""Lab tooling (runs as labremote): two of the shop's outside parties on
127.0.0.1, each a small HTTP server that logs what it gets and stops by
itself after --lifetime seconds.

  ops-http.py chat --port 9480 --out FILE
      the ops team's chat webhook: every POST body is logged
  ops-http.py ca --port 9481 --out FILE --ca-dir DIR [--dns-port 5354]
      the certificate authority's order API, DNS-01 as far as the shop uses
      it: POST /acme/new-order?name=N gives a token; POST /acme/finalize?name=N
      with the CSR (PEM) checks the TXT record _acme-challenge.N on the
      hidden primary (dig) and answers the certificate signed by DIR/ca.key
"""
import argparse
import http.server
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["chat", "ca"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--ca-dir")
    p.add_argument("--dns-port", type=int, default=5354)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    orders = {}
    logf = open(a.out, "a")

    def note(line):
        logf.write("%.6f %s\n" % (time.time(), line))
        logf.flush()

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, code, body, ctype="text/plain"):
            b = body.encode() if isinstance(body, str) else body
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(b)))
            self.end_headers()
            self.wfile.write(b)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            u = urllib.parse.urlparse(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            if a.mode == "chat":
                note("POST %s %s" % (u.path, body.decode("utf-8", "replace")))
                return self.reply(200, "ok")
            name = q.get("name", "")
            if u.path == "/acme/new-order" and name:
                orders[name] = secrets.token_urlsafe(24)
                note("new-order %s token %s" % (name, orders[name]))
                return self.reply(201, orders[name])
            if u.path == "/acme/finalize" and name in orders:
                got = subprocess.run(["dig", "+short", "-p", str(a.dns_port), "@127.0.0.1", "TXT", "_acme-challenge." + name],
                                     capture_output=True, text=True).stdout.split()
                if '"%s"' % orders[name] not in got:
                    note("finalize %s: challenge not found (%s)" % (name, got))
                    return self.reply(403, "urn:ietf:params:acme:error:unauthorized\n")
                with tempfile.TemporaryDirectory() as t:
                    csr, crt, ext = os.path.join(t, "req.csr"), os.path.join(t, "out.crt"), os.path.join(t, "ext")
                    open(csr, "wb").write(body)
                    open(ext, "w").write("subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n" % name)
                    r = subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(a.ca_dir, "ca.crt"),
                                        "-CAkey", os.path.join(a.ca_dir, "ca.key"), "-CAcreateserial", "-days", "90",
                                        "-extfile", ext, "-out", crt], capture_output=True)
                    if r.returncode != 0:
                        note("finalize %s: bad CSR" % name)
                        return self.reply(400, "urn:ietf:params:acme:error:badCSR\n")
                    note("finalize %s: issued" % name)
                    del orders[name]
                    return self.reply(200, open(crt, "rb").read() + open(os.path.join(a.ca_dir, "ca.crt"), "rb").read(),
                                      "application/pem-certificate-chain")
            note("POST %s: 404" % self.path)
            return self.reply(404, "not found\n")

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
