#!/usr/bin/env python3
"""Lab tooling (runs as labremote): a partner's FTP server (pyftpdlib) on
127.0.0.1: one account with a home folder and permissions, passive ports in
a given range, every command logged. Stops by itself after --lifetime s.

  ftp-server.py --port 2121 --user U --password P --home DIR --perm elradfmw
                --passive 30100-30149 --log FILE [--lifetime 900]
"""
import argparse
import logging
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--home", required=True)
    p.add_argument("--perm", default="elr")
    p.add_argument("--passive", default="30100-30149")
    p.add_argument("--banner", default="FTP server ready.")
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    logging.basicConfig(filename=a.log, level=logging.INFO, format="%(asctime)s %(message)s")
    auth = DummyAuthorizer()
    auth.add_user(a.user, a.password, a.home, perm=a.perm)
    h = FTPHandler
    h.authorizer = auth
    h.banner = a.banner
    lo, hi = (int(x) for x in a.passive.split("-"))
    h.passive_ports = range(lo, hi + 1)
    srv = FTPServer(("127.0.0.1", a.port), h)
    threading.Timer(a.lifetime, srv.close_all).start()
    srv.serve_forever(timeout=1.0)


if __name__ == "__main__":
    main()
