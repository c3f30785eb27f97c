#!/usr/bin/python3
"""The ops team's check runner (runs as opsmon): reserves jobs from
beanstalkd's tube "checks" (JSON: check, args), runs
/usr/local/lib/shop-checks/check_<check> <args> through the shell, keeps each
result in /var/lib/shop-checks/results/<job id>.txt (the status page shows the
latest) and alerts on a failure: an SNMPv2c trap to the NMS and a mail to the
on-call addresses (/etc/shop-checks/checks.conf)."""
import json, os, re, socket, subprocess, sys, time

D = "/usr/local/lib/shop-checks"
RES = "/var/lib/shop-checks/results"
conf = {}
for line in open("/etc/shop-checks/checks.conf"):
    if "=" in line and not line.startswith("#"):
        k, v = line.strip().split("=", 1)
        conf[k] = v


def log(msg):
    sys.stdout.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), msg))
    sys.stdout.flush()


class Beanstalk:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", 11300), timeout=30)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(4096)
            if not d:
                raise EOFError
            self.buf += d
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l.decode()

    def body(self, n):
        while len(self.buf) < n + 2:
            d = self.s.recv(4096)
            if not d:
                raise EOFError
            self.buf += d
        b, self.buf = self.buf[:n], self.buf[n + 2:]
        return b

    def cmd(self, c):
        self.s.sendall(c.encode() + b"\r\n")
        return self.line()


def alert(check, jid, text):
    first = (text.strip().splitlines() or ["(no output)"])[0][:200]
    subprocess.run(["/usr/bin/snmptrap", "-v2c", "-c", conf["trap_community"], "-m", "", conf["nms"], "",
                    ".1.3.6.1.4.1.8072.2.3.0.1", ".1.3.6.1.4.1.8072.2.3.2.1", "s", "shop-checks %s: %s" % (check, first)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    msg = "To: %s\nSubject: [shop-checks] %s failed\n\nJob %s: %s\n\n%s\n" % (conf["mail_to"], check, jid, first, text[:2000])
    subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg.encode(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    os.makedirs(RES, exist_ok=True)
    while True:
        try:
            q = Beanstalk()
            q.cmd("watch checks"); q.cmd("ignore default")
            log("connected to beanstalkd, watching checks")
            while True:
                r = q.cmd("reserve-with-timeout 5")
                if r.startswith("TIMED_OUT") or r.startswith("DEADLINE_SOON"):
                    continue
                m = re.match(r"RESERVED (\d+) (\d+)$", r)
                if not m:
                    log("unexpected: " + r); time.sleep(1); continue
                jid, body = m.group(1), q.body(int(m.group(2)))
                try:
                    job = json.loads(body)
                    check, args = job["check"], job.get("args", "")
                    if not re.match(r"^[a-z]+$", check) or not os.path.exists("%s/check_%s" % (D, check)):
                        raise ValueError("unknown check %r" % check)
                except Exception as e:
                    log("job %s rejected: %s" % (jid, e)); q.cmd("delete " + jid); continue
                cmd = "%s/check_%s %s" % (D, check, args)
                t0 = time.time()
                try:
                    p = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=90)
                    out, rc = p.stdout.decode("utf-8", "replace"), p.returncode
                except subprocess.TimeoutExpired as e:
                    out, rc = (e.stdout or b"").decode("utf-8", "replace") + "\n(timeout)", 124
                with open("%s/%s.txt" % (RES, jid), "w") as fh:
                    fh.write("job %s check %s args %s rc %d (%.1fs)\n%s" % (jid, check, args, rc, time.time() - t0, out))
                os.chmod("%s/%s.txt" % (RES, jid), 0o644)
                log("job %s %s rc=%d" % (jid, check, rc))
                if rc != 0:
                    alert(check, jid, out)
                q.cmd("delete " + jid)
                old = sorted(os.listdir(RES), key=lambda f: os.path.getmtime(os.path.join(RES, f)))
                for f in old[:-60]:
                    os.unlink(os.path.join(RES, f))
        except (OSError, EOFError) as e:
            log("beanstalkd: %s, retrying" % e)
            time.sleep(2)


if __name__ == "__main__":
    main()
