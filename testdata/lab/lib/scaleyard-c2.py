#!/usr/bin/env python3
"""The attacker's side of scenario-scaleyard-archive (runs as labremote).

--irc PORT --queue DIR --log FILE: a one-channel IRC server (#wb) the bot
  joins; every file dropped into DIR (name = order) is sent to the newest
  joined bot as a PRIVMSG from "op" and moved to DIR/.sent-NAME; every line
  a bot sends is logged. FILE.count gets a line per answer ended (a lone
  "."), FILE.joins a line per JOIN: the driver waits on them.
--smtp PORT --log FILE --store DIR: a mail sink (just enough SMTP for
  Net::SMTP): every message is kept in DIR, its envelope and size logged.
Both stop after --lifetime seconds.
"""
import argparse, os, socket, socketserver, sys, threading, time

def now():
    return time.strftime("%H:%M:%S", time.gmtime()) + ".%03d" % (time.time() % 1 * 1000)

class Log:
    def __init__(self, path):
        self.path, self.lock = path, threading.Lock()
    def __call__(self, msg, extra=None):
        with self.lock:
            with open(self.path, "a") as f:
                f.write("%s %s\n" % (now(), msg))
            if extra:
                with open(self.path + "." + extra, "a") as f:
                    f.write(now() + "\n")

def irc(args, log):
    bots, lock = [], threading.Lock()

    class H(socketserver.StreamRequestHandler):
        def handle(self):
            peer = "%s:%d" % self.client_address
            log("connect from %s" % peer)
            nick = "?"
            for raw in self.rfile:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("NICK "):
                    nick = line.split()[1]
                    self.wfile.write((":irc.lab 001 %s :welcome\r\n" % nick).encode())
                elif line.startswith("JOIN "):
                    self.wfile.write((":%s!wb@%s JOIN #wb\r\n" % (nick, self.client_address[0])).encode())
                    with lock:
                        bots.append(self.wfile)
                    log("%s joined #wb" % nick, "joins")
                elif line.startswith("PRIVMSG #wb :"):
                    text = line[len("PRIVMSG #wb :"):]
                    log("<%s> %s" % (nick, text), "count" if text == "." else None)
                else:
                    log("<%s> %s" % (nick, line))
            with lock:
                if self.wfile in bots:
                    bots.remove(self.wfile)
            log("%s disconnected" % nick)

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address, daemon_threads = True, True

    srv = S(("127.0.0.1", args.irc), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    end = time.time() + args.lifetime
    while time.time() < end:
        for name in sorted(n for n in os.listdir(args.queue) if not n.startswith(".")):
            with lock:
                if not bots:
                    break
                w = bots[-1]
            p = os.path.join(args.queue, name)
            task = open(p).read().strip()
            try:
                w.write((":op!op@127.0.0.1 PRIVMSG #wb :%s\r\n" % task).encode())
                w.flush()
                log("task %s sent: %s" % (name, task[:200]))
                os.rename(p, os.path.join(args.queue, ".sent-" + name))
            except OSError as e:
                log("task %s not sent: %s" % (name, e))
        time.sleep(0.3)

def smtp(args, log):
    class H(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"220 mailbox.lab ESMTP\r\n")
            env, n = [], 0
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                cmd = raw.decode("utf-8", "replace").rstrip("\r\n")
                up = cmd.upper()
                if up.startswith(("EHLO", "HELO")):
                    self.wfile.write(b"250 mailbox.lab\r\n")
                elif up.startswith(("MAIL", "RCPT")):
                    env.append(cmd)
                    self.wfile.write(b"250 ok\r\n")
                elif up == "DATA":
                    self.wfile.write(b"354 go ahead\r\n")
                    body = []
                    for raw in self.rfile:
                        if raw in (b".\r\n", b".\n"):
                            break
                        body.append(raw)
                    data = b"".join(body)
                    n += 1
                    name = "msg-%s-%d.eml" % (time.strftime("%H%M%S", time.gmtime()), n)
                    open(os.path.join(args.store, name), "wb").write(data)
                    log("message from %s:%d %s, %d bytes -> %s" % (self.client_address + (" ".join(env), len(data), name)))
                    env = []
                    self.wfile.write(b"250 queued\r\n")
                elif up == "QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    class S(socketserver.ThreadingTCPServer):
        allow_reuse_address, daemon_threads = True, True

    srv = S(("127.0.0.1", args.smtp), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    time.sleep(args.lifetime)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--irc", type=int)
    ap.add_argument("--smtp", type=int)
    ap.add_argument("--queue")
    ap.add_argument("--store")
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=900)
    args = ap.parse_args()
    log = Log(args.log)
    if args.irc:
        irc(args, log)
    elif args.smtp:
        smtp(args, log)
    else:
        sys.exit("--irc or --smtp")

if __name__ == "__main__":
    main()
