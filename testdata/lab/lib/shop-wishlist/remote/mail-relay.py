#!/usr/bin/env python3
"""The mail provider's relay (a remote party, labremote): a minimal SMTP
server on 127.0.0.1:--port that accepts every message, keeps it in --dir
and logs the envelope. Stops after --lifetime seconds."""
import argparse, os, socketserver, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=2525)
ap.add_argument("--dir", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=900)
A = ap.parse_args()
LOG = open(A.log, "a", buffering=1)
N = [0]


class H(socketserver.StreamRequestHandler):
    def w(self, s):
        self.wfile.write(s.encode() + b"\r\n")

    def handle(self):
        self.w("220 relay.mailprovider.example ESMTP")
        frm, rcpt = "", []
        while True:
            l = self.rfile.readline()
            if not l:
                return
            c = l.decode("latin-1").strip()
            u = c.upper()
            if u.startswith("EHLO") or u.startswith("HELO"):
                self.w("250-relay.mailprovider.example\r\n250-SIZE 52428800\r\n250 8BITMIME")
            elif u.startswith("MAIL FROM:"):
                frm, rcpt = c[10:].strip(), []
                self.w("250 OK")
            elif u.startswith("RCPT TO:"):
                rcpt.append(c[8:].strip()); self.w("250 Accepted")
            elif u == "DATA":
                self.w("354 Enter message, ending with \".\" on a line by itself")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data.append(l)
                N[0] += 1
                with open(os.path.join(A.dir, "msg-%03d.eml" % N[0]), "wb") as fh:
                    fh.writelines(data)
                LOG.write("%s from=%s to=%s size=%d\n" % (time.strftime("%H:%M:%S", time.gmtime()), frm, ",".join(rcpt), sum(map(len, data))))
                self.w("250 OK id=%06d" % N[0])
            elif u == "QUIT":
                self.w("221 bye"); return
            elif u in ("RSET", "NOOP"):
                self.w("250 OK")
            else:
                self.w("500 unrecognised command")


class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = S(("127.0.0.1", A.port), H)
threading.Timer(A.lifetime, srv.shutdown).start()
srv.serve_forever()
