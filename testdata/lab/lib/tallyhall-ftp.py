#!/usr/bin/python3
# The attacker's FTP server for scenario-tallyhall-xslt (labremote,
# 127.0.0.1:2121, passive ports 2131-2139): account hallsync (the implant's
# tasks/, out/, hello/) and drop (the exfiltration's upload). Every command
# and transfer is logged to DIR/session.log. Stops after --max-seconds or
# when DIR/stop exists.
import argparse, logging, os, threading, time
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True); ap.add_argument("--port", type=int, default=2121)
ap.add_argument("--max-seconds", type=int, default=900)
a = ap.parse_args()
for d in ("tasks", "out", "hello", "drop"):
    os.makedirs(os.path.join(a.dir, "hallsync" if d != "drop" else "", d), exist_ok=True)
logging.basicConfig(filename=os.path.join(a.dir, "session.log"), level=logging.INFO,
                    format="%(asctime)s %(message)s")
au = DummyAuthorizer()
au.add_user("hallsync", "Kw7-ravens-2026", os.path.join(a.dir, "hallsync"), perm="elrw")
au.add_user("drop", "d7-harbour", os.path.join(a.dir, "drop"), perm="elw")
class H(FTPHandler):
    authorizer = au
    passive_ports = range(2131, 2140)
    banner = "FTP ready"
srv = FTPServer(("127.0.0.1", a.port), H)
t0 = time.time()
def stopper():
    while time.time() - t0 < a.max_seconds and not os.path.exists(os.path.join(a.dir, "stop")):
        time.sleep(0.5)
    srv.close_all()
threading.Thread(target=stopper, daemon=True).start()
try:
    srv.serve_forever(timeout=0.5, blocking=True)
except Exception:
    pass
