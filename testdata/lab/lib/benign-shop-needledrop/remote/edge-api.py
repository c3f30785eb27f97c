#!/usr/bin/env python3
"""The CDN's firewall API (a remote party, run as labremote): access rules
created, listed and deleted as the shop's fail2ban action asks; every request
logged (method, path, token's tail, body) to --log."""
import argparse, json, secrets, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

RULES = {}
LOCK = threading.Lock()


class H(BaseHTTPRequestHandler):
    server_version = "edge-api/4"

    def _log(self, body=""):
        auth = self.headers.get("Authorization", "")
        with open(self.server.logfile, "a") as fh:
            fh.write("%s %s %s auth=...%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), self.command,
                                                  self.path, auth[-4:], body.replace("\n", " ")))

    def _send(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def _authorised(self):
        return self.headers.get("Authorization", "").startswith("Bearer edg_live_")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        self._log(body)
        if not self._authorised():
            return self._send(403, {"success": False, "errors": [{"code": 10000, "message": "Authentication error"}]})
        try:
            d = json.loads(body)
        except ValueError:
            return self._send(400, {"success": False})
        rid = secrets.token_hex(16)
        with LOCK:
            RULES[rid] = {"id": rid, "mode": d.get("mode"), "configuration": d.get("configuration"), "notes": d.get("notes", "")}
        self._send(200, {"success": True, "result": RULES[rid]})

    def do_GET(self):
        self._log()
        q = parse_qs(urlsplit(self.path).query)
        val = (q.get("configuration_value") or [""])[0]
        with LOCK:
            res = [r for r in RULES.values() if not val or r["configuration"].get("value") == val]
        self._send(200, {"success": True, "result": res})

    def do_DELETE(self):
        self._log()
        rid = urlsplit(self.path).path.rsplit("/", 1)[-1]
        with LOCK:
            ok = RULES.pop(rid, None) is not None
        self._send(200 if ok else 404, {"success": ok, "result": {"id": rid}})

    def log_message(self, *a):
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=9412)
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=int, default=1200)
    a = p.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    srv.logfile = a.log
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
