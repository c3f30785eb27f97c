#!/usr/bin/python3
"""pumice's cron job: thumbnails older than 10 minutes and notes older than 5 dropped."""
import glob, os, time
now = time.time()
n = 0
for pat, age in (("/var/lib/cuspid/thumbs/*.png", 600), ("/var/lib/cuspid/notes/*", 300)):
    for p in glob.glob(pat):
        if now - os.stat(p).st_mtime > age:
            os.unlink(p); n += 1
with open("/var/log/cuspid/expire.log", "a") as f:
    f.write("%s expired %d\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), n))
