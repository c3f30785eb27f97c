#!/usr/bin/env python3
"""The shop's remote parties in the lab (run as labremote, 127.0.0.1 only):
  the parcel carrier's rate API (HTTP, :9472; every third quote is slow),
  the bank's EBICS-over-HTTPS gateway (:9471, client certificate required:
  statement list, download, ack, certificate enrolment by CSR),
  the hosting company's backup space (HTTP PUT with basic auth, :9473).
Everything is logged to DIR/parties.log; uploads are kept in DIR/backup-space/."""
import argparse, base64, json, os, ssl, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

a = argparse.ArgumentParser()
a.add_argument("--dir", required=True)
a.add_argument("--lifetime", type=int, default=900)
args = a.parse_args()
D = args.dir
LOG = open(os.path.join(D, "parties.log"), "a", buffering=1)
LOCK = threading.Lock()
T0 = time.time()


def log(who, msg):
    with LOCK:
        LOG.write("%s %s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), who, msg))


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, code, data, ctype="application/json"):
        if isinstance(data, str):
            data = data.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


QUOTES = [0]


class Carrier(Quiet):
    def do_POST(self):
        b = self.body()
        if self.headers.get("Authorization") != "Bearer ck_live_5f2b9e0c77a14d3e":
            log("carrier", "POST %s 401" % self.path)
            return self.send(401, '{"error":"unauthorized"}')
        QUOTES[0] += 1
        slow = QUOTES[0] % 3 == 0
        if slow:
            time.sleep(4.5)
        try:
            q = json.loads(b)
        except ValueError:
            q = {}
        kg = float(q.get("kg", 18))
        price = round(24.9 + max(0, kg - 15) * 0.8 + (6 if not str(q.get("to", "")).startswith(("2", "1")) else 0), 2)
        log("carrier", "POST %s to=%s kg=%s -> %.2f EUR%s" % (self.path, q.get("to"), kg, price, " (slow)" if slow else ""))
        self.send(200, json.dumps({"service": "XL-Paket Fahrrad", "price_eur": price, "days": 2 if price < 30 else 3}))


def certs_dir():
    return os.path.join(D, "bank")


class Bank(Quiet):
    def peer(self):
        c = self.connection.getpeercert()
        if not c:
            return "?"
        return dict(x[0] for x in c.get("subject", ())).get("commonName", "?") + " serial " + c.get("serialNumber", "?")

    def available(self):
        # statements appear over the day: one at start, one after ~3 min, one after ~6 min
        out = []
        age = time.time() - T0
        for i, f in enumerate(sorted(os.listdir(os.path.join(D, "bank", "statements")))):
            if age >= i * 180 and not os.path.exists(os.path.join(D, "bank", "acked", f)):
                out.append(f)
        return out

    def do_GET(self):
        p = self.path
        if p.startswith("/ebics/v3/statements?"):
            l = self.available()
            log("bank", "GET %s by %s -> %d new" % (p, self.peer(), len(l)))
            return self.send(200, "".join(x + "\n" for x in l), "text/plain")
        if p.startswith("/ebics/v3/statements/"):
            f = os.path.basename(p)
            fp = os.path.join(D, "bank", "statements", f)
            if f in self.available():
                log("bank", "GET %s by %s 200" % (p, self.peer()))
                return self.send(200, open(fp, "rb").read(), "application/pgp-encrypted")
        log("bank", "GET %s by %s 404" % (p, self.peer()))
        self.send(404, "not found\n", "text/plain")

    def do_POST(self):
        p = self.path
        b = self.body()
        if p.startswith("/ebics/v3/statements/") and p.endswith("/ack"):
            f = p.split("/")[-2]
            open(os.path.join(D, "bank", "acked", f), "w").close()
            log("bank", "POST %s by %s 204" % (p, self.peer()))
            return self.send(204, b"")
        if p == "/ebics/v3/enroll":
            csr = os.path.join(D, "bank", "enroll-%d.csr" % int(time.time()))
            open(csr, "wb").write(b)
            crt = csr[:-4] + ".crt"
            r = subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(D, "bank", "ca.crt"),
                                "-CAkey", os.path.join(D, "bank", "ca.key"), "-CAcreateserial", "-days", "400",
                                "-sha256", "-out", crt], capture_output=True)
            log("bank", "POST %s by %s: CSR %d bytes -> %s" % (p, self.peer(), len(b), "signed" if r.returncode == 0 else r.stderr))
            if r.returncode == 0:
                return self.send(200, open(crt, "rb").read(), "application/x-pem-file")
            return self.send(400, "bad CSR\n", "text/plain")
        self.send(404, "not found\n", "text/plain")


class Backup(Quiet):
    def do_PUT(self):
        auth = self.headers.get("Authorization", "")
        ok = auth == "Basic " + base64.b64encode(b"web1-spokeworks:Kette-Ritzel-2026!").decode()
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n) if n else b""
        if not ok:
            log("backup", "PUT %s 401" % self.path)
            return self.send(401, "unauthorized\n", "text/plain")
        d = os.path.join(D, "backup-space")
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, os.path.basename(self.path)), "wb").write(data)
        log("backup", "PUT %s %d bytes 201" % (self.path, len(data)))
        self.send(201, "created\n", "text/plain")


def serve(srv):
    srv.serve_forever(poll_interval=0.5)


carrier = ThreadingHTTPServer(("127.0.0.1", 9472), Carrier)
backup = ThreadingHTTPServer(("127.0.0.1", 9473), Backup)
bank = ThreadingHTTPServer(("127.0.0.1", 9471), Bank)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(D, "bank", "server.crt"), os.path.join(D, "bank", "server.key"))
ctx.load_verify_locations(os.path.join(D, "bank", "ca.crt"))
ctx.verify_mode = ssl.CERT_REQUIRED
bank.socket = ctx.wrap_socket(bank.socket, server_side=True)
for s in (carrier, backup, bank):
    s.daemon_threads = True
    threading.Thread(target=serve, args=(s,), daemon=True).start()
log("parties", "listening: carrier :9472, bank :9471 (TLS, client certificate), backup :9473")
time.sleep(args.lifetime)
log("parties", "lifetime over")
