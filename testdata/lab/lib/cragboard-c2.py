#!/usr/bin/python3
"""The remote parties of scenario-cragboard-prefmerge (runs as labremote):
 - the attacker's chat-bot API look-alike over HTTPS (127.0.0.1:8443, a
   self-signed certificate made at start): POST /bot<token>/getUpdates
   (long poll: the tasks DIR/tasks/NNN not yet delivered, one message each,
   message_id = NNN), POST /bot<token>/sendMessage (an answer '#NNN\\n...' ->
   DIR/out/NNN, any other text -> DIR/c2.log);
 - the co-op's accounting service (127.0.0.1:8287): POST /api/v2/checkins
   from the front desk's till sync (answered 200, kept in DIR/accounting.log).
  cragboard-c2.py DIR [--max-seconds N]"""
import json, os, re, ssl, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

D = sys.argv[1]
MAX = int(sys.argv[sys.argv.index("--max-seconds") + 1]) if "--max-seconds" in sys.argv else 1500
os.makedirs(D + "/tasks", exist_ok=True); os.makedirs(D + "/out", exist_ok=True)
lock = threading.Lock()
delivered = set()


def log(m, f="c2.log"):
    with lock, open(os.path.join(D, f), "a") as o:
        o.write("%s %s\n" % (time.strftime("%H:%M:%S"), m))


def pending():
    with lock:
        return [n for n in sorted(os.listdir(D + "/tasks")) if n.isdigit() and n not in delivered]


class Bot(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, obj):
        b = json.dumps(obj).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b))); self.send_header("Connection", "close"); self.end_headers()
        self.wfile.write(b)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"{}")
        m = re.match(r"^/bot[^/]+/(\w+)$", self.path)
        meth = m.group(1) if m else ""
        if meth == "getUpdates":
            t_end = time.time() + min(int(body.get("timeout", 0)), 25)
            while True:
                p = pending()
                if p or time.time() >= t_end or os.path.exists(D + "/stop"):
                    break
                time.sleep(0.3)
            res = []
            for t in p:
                with lock:
                    delivered.add(t)
                text = open(D + "/tasks/" + t).read().rstrip("\n")
                res.append({"update_id": 900000 + int(t), "message": {"message_id": int(t), "chat": {"id": 5512340987, "type": "private"},
                                                                      "date": int(time.time()), "text": text}})
                log("task %s delivered to %s: %s" % (t, self.client_address[0], text[:200].replace("\n", " | ")))
            return self.answer({"ok": True, "result": res})
        if meth == "sendMessage":
            text = body.get("text", "")
            mm = re.match(r"^#(\d+)\n", text)
            if mm:
                with open("%s/out/%03d" % (D, int(mm.group(1))), "w") as o:
                    o.write(text[mm.end():])
                log("answer to task %03d: %d bytes" % (int(mm.group(1)), len(text)))
            else:
                log("message: %s" % text[:300])
            return self.answer({"ok": True, "result": {"message_id": int(time.time())}})
        self.answer({"ok": False, "error_code": 404, "description": "Not Found"})


class Accounting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        b = self.rfile.read(n)
        try:
            k = len(json.loads(b).get("records", []))
        except Exception:
            k = -1
        log("%s %s %d records (%s)" % (self.path, self.headers.get("Authorization", "")[:16] + "...", k, self.client_address[0]), "accounting.log")
        r = b'{"ok":true}'
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", str(len(r)))
        self.send_header("Connection", "close"); self.end_headers(); self.wfile.write(r)


def main():
    crt, key = D + "/bot.crt", D + "/bot.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=api.telegram-cdn.lab", "-days", "2",
                    "-keyout", key, "-out", crt], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bot = ThreadingHTTPServer(("127.0.0.1", 8443), Bot)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(crt, key)
    bot.socket = ctx.wrap_socket(bot.socket, server_side=True)
    acc = ThreadingHTTPServer(("127.0.0.1", 8287), Accounting)
    for s in (bot, acc):
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    log("listening: bot api https 127.0.0.1:8443, accounting http 127.0.0.1:8287")
    t0 = time.time()
    while time.time() - t0 < MAX and not os.path.exists(D + "/stop"):
        time.sleep(0.5)
    log("stopping")


main()
