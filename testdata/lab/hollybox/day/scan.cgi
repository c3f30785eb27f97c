#!/usr/bin/python3
# Hollybox 3.2 (the benign day's settings: scan profiles): "scan to share":
# a scan from the copier's inbox queued for the scan worker (Redis list
# scan:jobs; the worker converts it and runs the post-processing command of
# the chosen profile in hollybox.ini's [scan.profiles], default [scan] post)
import configparser, json, os, socket, sys, time, urllib.parse
ini = configparser.ConfigParser(interpolation=None); ini.read("/srv/hollybox/conf/hollybox.ini")
body = sys.stdin.read(int(os.environ.get("CONTENT_LENGTH") or 0))
q = urllib.parse.parse_qs(body)
f = q.get("file", [""])[0]
if not (f.startswith("scan-") and f.endswith(".png") and "/" not in f):
    sys.stdout.write("Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nbad scan\n"); sys.exit(0)
dpi = q.get("dpi", ["150"])[0] if q.get("dpi", ["150"])[0].isdigit() else "150"
profiles = dict(ini["scan.profiles"]) if ini.has_section("scan.profiles") else {}
profile = q.get("profile", ["default"])[0]
post = profiles.get(profile, ini["scan"]["post"])
jid = "%x" % int(time.time() * 1000)
out = "/srv/hollybox/shares/scans/%s.jpg" % f[:-4]
post = post.replace("{out}", out).replace("{stem}", out[:-4]).replace("{name}", f[:-4])
job = {"id": jid, "file": "/srv/hollybox/inbox/" + f, "dpi": dpi, "out": out, "profile": profile, "post": post}

def resp(s, *args):
    s.sendall(b"".join([b"*%d\r\n" % len(args)] + [b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args]))
    return s.recv(4096)

s = socket.create_connection(("127.0.0.1", int(ini["redis"]["port"])), timeout=5)
resp(s, "AUTH", ini["redis"]["password"])
r = resp(s, "LPUSH", "scan:jobs", json.dumps(job))
s.close()
sys.stdout.write("Content-Type: text/plain\r\n\r\nqueued %s (%s, %s)\n" % (jid, profile, r.decode().strip()))
