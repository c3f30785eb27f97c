#!/usr/bin/env python3
"""Lab tooling: the mail provider's relay (smarthost) on 127.0.0.1 (runs as
labremote). Speaks enough SMTP for a client (EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT), keeps every message under --store and logs the dialogue
summary to DIR/relay.log. Stops by itself after --lifetime seconds.

  smtp-relay.py --port 2526 --store DIR [--lifetime 900]
"""
import argparse
import os
import socketserver
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--lifetime", type=float, default=900)
    a = p.parse_args()
    os.makedirs(a.store, exist_ok=True)
    lock = threading.Lock()
    n = [0]

    def log(msg):
        with lock, open(os.path.join(a.store, "relay.log"), "a") as fh:
            fh.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))

    class H(socketserver.StreamRequestHandler):
        timeout = 30

        def out(self, line):
            self.wfile.write((line + "\r\n").encode())

        def handle(self):
            peer = "%s:%d" % self.client_address
            self.out("220 relay.mailprovider.example ESMTP lab")
            mail_from, rcpt = None, []
            while True:
                raw = self.rfile.readline()
                if not raw:
                    break
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line[:4].upper()
                if verb in ("EHLO", "HELO"):
                    if verb == "EHLO":
                        self.out("250-relay.mailprovider.example")
                        self.out("250-SIZE 10485760")
                        self.out("250 8BITMIME")
                    else:
                        self.out("250 relay.mailprovider.example")
                elif verb == "MAIL":
                    mail_from, rcpt = line[10:].strip(), []
                    self.out("250 2.1.0 ok")
                elif verb == "RCPT":
                    rcpt.append(line[8:].strip())
                    self.out("250 2.1.5 ok")
                elif verb == "DATA":
                    self.out("354 end data with <CR><LF>.<CR><LF>")
                    body = []
                    while True:
                        d = self.rfile.readline()
                        if not d or d in (b".\r\n", b".\n"):
                            break
                        body.append(d)
                    with lock:
                        n[0] += 1
                        k = n[0]
                    with open(os.path.join(a.store, "msg-%03d.eml" % k), "wb") as fh:
                        fh.writelines(body)
                    self.out("250 2.0.0 queued as L%05d" % k)
                    log("%s from %s to %s: %d bytes queued as L%05d" % (peer, mail_from, ",".join(rcpt), sum(map(len, body)), k))
                elif verb == "QUIT":
                    self.out("221 2.0.0 bye")
                    break
                elif verb in ("RSET", "NOOP"):
                    self.out("250 2.0.0 ok")
                else:
                    self.out("502 5.5.2 command not recognized")
            log("%s closed" % peer)

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    srv = S(("127.0.0.1", a.port), H)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
