"""Fieldbook: site-survey reports of a small civil engineering office
(Flask under uWSGI, behind Caddy). Lab app of scenario-benign-fieldbook:
every route does what it says, nothing in it is planted. Routes that run a
program do it the way Python web apps usually do: argv lists through
subprocess, and a shell where the developer wanted a pipe (the PDF)."""
import configparser
import hashlib
import json
import os
import re
import subprocess
import tempfile
import time

from flask import Flask, abort, jsonify, make_response, request, send_file

ROOT = "/srv/fieldbook"
DATA = ROOT + "/data"
CONF_FILE = ROOT + "/conf/fieldbook.ini"
app = Flask(__name__)


def conf():
    # read at every request: a rotated token is in force at once
    c = configparser.ConfigParser()
    c.read(CONF_FILE)
    return c["fieldbook"]


def sites():
    with open(DATA + "/sites.json") as fh:
        return json.load(fh)


def site(sid):
    s = sites().get(str(sid))
    if s is None:
        abort(404)
    return s


def safe_name(name):
    # keep the customer's name readable (spaces, umlauts), drop path parts
    name = os.path.basename(name.replace("\\", "/")).strip() or "upload"
    return re.sub(r"[\x00-\x1f/]", "_", name)[:120]


def user():
    tok = request.cookies.get("fb_session", "")
    users = json.load(open(DATA + "/users.json"))
    for name, u in users.items():
        want = hashlib.sha256((conf()["secret_key"] + name).encode()).hexdigest()
        if tok == want:
            return name, u
    return None, None


def page(title, body):
    r = make_response("<!doctype html><title>%s · Fieldbook</title><link rel=stylesheet href=/static/fb.css><h1>%s</h1>%s" % (title, title, body))
    r.headers["Content-Type"] = "text/html; charset=utf-8"
    return r


@app.get("/")
def index():
    items = "".join("<li><a href=/sites/%s>%s</a> %s</li>" % (k, v["name"], v["client"]) for k, v in sorted(sites().items()))
    return page("Sites", "<ul>%s</ul>" % items)


@app.get("/sites/<int:sid>")
def site_page(sid):
    s = site(sid)
    d = "%s/photos/%d" % (DATA, sid)
    photos = sorted(os.listdir(d)) if os.path.isdir(d) else []
    return page(s["name"], "<p>%s, %s</p><p>%d photos</p><a href=/sites/%d/report.pdf>report</a>" % (s["client"], s["place"], len(photos), sid))


@app.get("/healthz")
def healthz():
    ok = os.access(DATA, os.W_OK)
    return jsonify(status="ok" if ok else "degraded", time=int(time.time())), (200 if ok else 503)


@app.post("/login")
def login():
    name, pw = request.form.get("user", ""), request.form.get("password", "")
    users = json.load(open(DATA + "/users.json"))
    u = users.get(name)
    if not u or hashlib.sha256(pw.encode()).hexdigest() != u["pw"]:
        return jsonify(error="wrong user or password"), 401
    r = jsonify(user=name, role=u["role"])
    r.set_cookie("fb_session", hashlib.sha256((conf()["secret_key"] + name).encode()).hexdigest(), httponly=True)
    return r


@app.post("/sites/<int:sid>/photos")
def photo(sid):
    site(sid)
    f = request.files.get("photo")
    if f is None:
        abort(400)
    d = "%s/photos/%d" % (DATA, sid)
    os.makedirs(d + "/thumbs", exist_ok=True)
    name = safe_name(f.filename)
    path = os.path.join(d, name)
    f.save(path)
    thumb = os.path.join(d, "thumbs", os.path.splitext(name)[0] + ".png")
    # first frame, turned upright, 320 px: one argv element per name
    r = subprocess.run(["convert", path + "[0]", "-auto-orient", "-thumbnail", "320x320>", thumb], capture_output=True, timeout=60)
    return jsonify(saved=name, thumbnail=r.returncode == 0), 201


@app.get("/sites/<int:sid>/report.pdf")
def report(sid):
    s = site(sid)
    os.makedirs(DATA + "/reports", exist_ok=True)
    fd, src = tempfile.mkstemp(prefix="fb-report-", suffix=".tr")
    with os.fdopen(fd, "w") as fh:
        fh.write(".ft B\n.ps 16\nSite report %d: %s\n.ft R\n.ps 11\n.sp 2\nClient: %s. Place: %s.\n.br\nFieldbook, %s\n" % (sid, s["name"], s["client"], s["place"], time.strftime("%Y-%m-%d")))
    out = "%s/reports/site-%d.pdf" % (DATA, sid)
    # the developer wanted the pipe: a shell, with names the app made itself
    subprocess.run("groff -Tps %s | ps2pdf - %s" % (src, out), shell=True, timeout=60)
    os.unlink(src)
    return send_file(out, mimetype="application/pdf")


@app.post("/sites/<int:sid>/share")
def share(sid):
    s = site(sid)
    to = request.form.get("to", "")
    if not re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", to):
        abort(400)
    msg = "To: %s\nFrom: fieldbook@survey.lab.local\nSubject: Site report %d (%s)\n\nThe report: http://fieldbook.lab.local/sites/%d/report.pdf\n" % (to, sid, s["name"], sid)
    subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg.encode(), timeout=30)
    return jsonify(sent=to)


@app.post("/portal/upload")
def portal_upload():
    name, u = user()
    if u is None or u["role"] != "client":
        abort(401)
    f = request.files.get("file")
    if f is None:
        abort(400)
    d = "%s/clients/%s" % (DATA, name)
    os.makedirs(d, exist_ok=True)
    fn = safe_name(f.filename)
    path = os.path.join(d, fn)
    f.save(path)
    kind = subprocess.run(["file", "--brief", "--mime-type", path], capture_output=True, text=True, timeout=30).stdout.strip()
    listed = None
    if kind == "application/zip":
        listed = subprocess.run(["unzip", "-Z1", path], capture_output=True, text=True, timeout=30).stdout.split()
        if all(not n.startswith("/") and ".." not in n.split("/") for n in listed):
            subprocess.run(["unzip", "-o", "-q", path, "-d", os.path.splitext(path)[0]], timeout=60)
    return jsonify(saved=fn, type=kind, files=listed), 201


@app.post("/hooks/deploy")
def deploy_hook():
    if request.headers.get("X-Fieldbook-Token", "") != conf()["webhook_token"]:
        return jsonify(error="bad token"), 403
    r = subprocess.run(["git", "-C", ROOT + "/app", "pull", "--ff-only", "-q"], capture_output=True, text=True, timeout=60)
    if r.returncode == 0:
        # uWSGI restarts the workers one after the other (touch-chain-reload)
        os.utime(ROOT + "/conf/reload")
    return jsonify(ok=r.returncode == 0, out=r.stdout + r.stderr)


@app.get("/admin/diag")
def diag():
    name, u = user()
    if u is None or u["role"] != "admin":
        abort(401)
    out = {
        "uptime": subprocess.check_output(["uptime"], text=True).strip(),
        "disk": subprocess.check_output(["df", "-h", DATA], text=True),
        "workers": subprocess.check_output("ps -o pid,rss,etime,args -u fieldbook | head -n 12", shell=True, text=True),
    }
    return jsonify(out)


@app.get("/admin/export")
def export():
    name, u = user()
    if u is None or u["role"] != "admin":
        abort(401)
    sid = int(request.args.get("site", "0"))
    site(sid)
    d = "%s/photos/%d" % (DATA, sid)
    if not os.path.isdir(d):
        abort(404)  # no photos yet
    os.makedirs(DATA + "/exports", exist_ok=True)
    out = "%s/exports/site-%d-%s.zip" % (DATA, sid, time.strftime("%Y%m%d%H%M%S"))
    subprocess.run(["zip", "-q", "-r", out, "."], cwd=d, timeout=120)
    return send_file(out, mimetype="application/zip", as_attachment=True)
