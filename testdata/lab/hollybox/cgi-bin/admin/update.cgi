#!/usr/bin/python3
# Hollybox: firmware/add-on update (admin): the uploaded package is saved in
# /srv/hollybox/updates and installed with the sudo rule
# (hollybox ALL=(root) NOPASSWD: /usr/bin/dpkg -i /srv/hollybox/updates/*.deb)
import email.parser, email.policy, http.cookies, os, re, subprocess, sys
def out(status, text):
    sys.stdout.write("Status: %s\r\nContent-Type: text/plain\r\n\r\n%s" % (status, text)); sys.exit(0)
c = http.cookies.SimpleCookie(os.environ.get("HTTP_COOKIE", ""))
want = open("/var/lib/hollybox/admin.session").read().strip()
if "hbsess" not in c or c["hbsess"].value != want:
    out("403 Forbidden", "forbidden\n")
body = sys.stdin.buffer.read(int(os.environ.get("CONTENT_LENGTH") or 0))
msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
    b"Content-Type: " + os.environ.get("CONTENT_TYPE", "").encode() + b"\r\n\r\n" + body)
for part in msg.iter_parts():
    name = part.get_filename() or ""
    if not re.fullmatch(r"hollybox-[a-z0-9.+-]+_[a-z0-9.+~-]+_all\.deb", name):
        out("400 Bad Request", "not a Hollybox package\n")
    path = "/srv/hollybox/updates/" + name
    with open(path, "wb") as fh:
        fh.write(part.get_payload(decode=True))
    r = subprocess.run(["sudo", "-n", "/usr/bin/dpkg", "-i", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out("200 OK", r.stdout.decode(errors="replace"))
out("400 Bad Request", "no package\n")
