#!/usr/bin/python3
# Hollybox: a share as a zip (zip -q -r -, argv)
import os, subprocess, sys, urllib.parse
q = urllib.parse.parse_qs(os.environ.get("QUERY_STRING", ""))
share = q.get("share", [""])[0]
if share not in ("projects", "drawings", "scans"):
    sys.stdout.write("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such share\n")
    sys.exit(0)
z = subprocess.run(["/usr/bin/zip", "-q", "-r", "-", share], cwd="/srv/hollybox/shares", stdout=subprocess.PIPE, check=False).stdout
sys.stdout.write("Content-Type: application/zip\r\nContent-Disposition: attachment; filename=%s.zip\r\nContent-Length: %d\r\n\r\n" % (share, len(z)))
sys.stdout.flush()
sys.stdout.buffer.write(z)
