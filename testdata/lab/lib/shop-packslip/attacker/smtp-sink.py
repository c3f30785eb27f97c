#!/usr/bin/env python3
"""The attacker's mail drop: an SMTP server that keeps every message
(MAIL FROM, RCPT TO, size, body) in a folder and logs one line per mail."""
import argparse, asyncore, os, smtpd, sys, threading, time, warnings
warnings.simplefilter("ignore")

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=2525)
ap.add_argument("--dir", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=int, default=900)
a = ap.parse_args()
os.makedirs(a.dir, exist_ok=True)


class Sink(smtpd.SMTPServer):
    n = 0

    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        Sink.n += 1
        with open(os.path.join(a.dir, "mail-%d.eml" % Sink.n), "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode())
        with open(a.log, "a") as fh:
            fh.write("%s from=%s to=%s peer=%s:%d bytes=%d\n" % (time.strftime("%H:%M:%S", time.gmtime()), mailfrom,
                     ",".join(rcpttos), peer[0], peer[1], len(data)))
        return None


Sink(("127.0.0.1", a.port), None, decode_data=False)
threading.Timer(a.lifetime, lambda: os._exit(0)).start()
asyncore.loop(timeout=1)
