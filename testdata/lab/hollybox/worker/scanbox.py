#!/usr/bin/python3
"""scanbox 1.4: the copier's scan-to-share worker (runs as scanbox).
Takes jobs from the Redis list scan:jobs (BRPOP), converts the scan with
convert (argv) and runs the job's post-processing command (sh -c), stores
the result as scan:result:<id> for ten minutes."""
import configparser, json, os, socket, subprocess, sys, time

ini = configparser.ConfigParser(); ini.read(os.path.expanduser("~/.config/scanbox/scanbox.ini"))
PORT, PW = int(ini["redis"]["port"]), ini["redis"]["password"]


class Redis:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        self.f = self.s.makefile("rb")
        self.cmd("AUTH", PW)

    def cmd(self, *args):
        self.s.sendall(b"".join([b"*%d\r\n" % len(args)] + [b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args]))
        return self.read()

    def read(self):
        line = self.f.readline().rstrip(b"\r\n")
        t, rest = line[:1], line[1:]
        if t in (b"+", b"-", b":"):
            return rest.decode()
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2].decode()
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise IOError("bad reply %r" % line)


def log(msg):
    print("%s %s" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), msg), flush=True)


def main():
    r = Redis()
    log("scanbox 1.4 waiting for jobs on scan:jobs")
    while True:
        got = r.cmd("BRPOP", "scan:jobs", "5")
        if not got:
            continue
        try:
            job = json.loads(got[1])
        except ValueError:
            log("bad job %r" % got[1][:80]); continue
        res = {"id": job.get("id"), "rc": None, "out": ""}
        c = subprocess.run(["/usr/bin/convert", "-density", str(job.get("dpi", "150")), job["file"], "-quality", "85", job["out"]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        res["rc"] = c.returncode
        res["out"] = c.stdout.decode(errors="replace")
        if job.get("post"):
            p = subprocess.run(job["post"], shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
            res["post_rc"], res["out"] = p.returncode, res["out"] + p.stdout.decode(errors="replace")
        r.cmd("SET", "scan:result:%s" % job.get("id"), json.dumps(res), "EX", "600")
        log("job %s: %s -> %s rc=%s" % (job.get("id"), job["file"], job["out"], res.get("post_rc", res["rc"])))


if __name__ == "__main__":
    main()
