# python3 make.py > audit.log: one exec of `sh -c CMD` under a php-fpm
# worker for each command of pairs.tsv, plain first, pids 600, 601, ...
import binascii
T0 = 1796307177
serial = [1000]
out = []
def q(b):
    return binascii.hexlify(b.encode()).decode().upper()
def ev(t, pid, ppid, uid, comm, exe, argv, cwd="/var/www/html", key="detect_execve_www"):
    serial[0] += 1
    h = "msg=audit(%d.%03d:%d):" % (T0 + t, 100, serial[0])
    out.append('type=SYSCALL %s arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=%d pid=%d auid=4294967295 uid=%d gid=%d euid=%d suid=%d fsuid=%d egid=%d sgid=%d fsgid=%d tty=(none) ses=4294967295 comm="%s" exe="%s" key="%s"' % (h, ppid, pid, uid, uid, uid, uid, uid, uid, uid, uid, comm, exe, key))
    out.append('type=EXECVE %s argc=%d %s' % (h, len(argv), " ".join('a%d=%s' % (i, q(a)) for i, a in enumerate(argv))))
    out.append('type=CWD %s cwd="%s"' % (h, cwd))
    out.append('type=PROCTITLE %s proctitle=%s' % (h, q("\0".join(argv))))
ev(0, 500, 1, 0, "php-fpm8.2", "/usr/sbin/php-fpm8.2", ["php-fpm: master process"], cwd="/", key="exec")
ev(1, 553, 500, 33, "php-fpm8.2", "/usr/sbin/php-fpm8.2", ["php-fpm: pool www"], cwd="/", key="exec")
pid = 600
for line in open("pairs.tsv"):
    if line.startswith("#") or not line.strip():
        continue
    for c in line.rstrip("\n").split("\t"):
        ev(10 * (pid - 600) + 2, pid, 553, 33, "sh", "/usr/bin/dash", ["sh", "-c", c])
        pid += 1
print("\n".join(out))
