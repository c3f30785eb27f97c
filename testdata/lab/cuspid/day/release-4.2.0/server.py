#!/usr/bin/python3
"""Cuspid 4.2 -- Harrow Dental Laboratory's case tracker (Tornado).

Dentists follow their cases (crowns, bridges, aligners), send intraoral
photos and scans, download delivery notes, message the lab; couriers print
the parcel label of a case from its tracking code. The lab's staff queue
milling jobs, which the app hands to the mill worker (millrun, another
account) over a multiprocessing connection with the shared authkey.

One parent binds the UNIX socket, forks worker processes
(tornado.process.fork_processes) and restarts any that dies; nginx proxies
to the socket. Settings: /srv/cuspid/conf/cuspid.json.
"""
import ctypes
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.process
import tornado.template
import tornado.web
from multiprocessing.connection import Client

import courier_formats

ROOT = "/srv/cuspid"
APP = ROOT + "/app"
CONF = json.load(open(ROOT + "/conf/cuspid.json"))
DATA = ROOT + "/data"
STATE = "/var/lib/cuspid"
UPLOADS = APP + "/static/uploads"
LOG = "/var/log/cuspid/app.log"
# what a dentist may send: photos, scans, the scanners' HTML 3D viewers, PDFs
ALLOWED = (".jpg", ".jpeg", ".png", ".stl", ".ply", ".pdf", ".html")


def applog(msg):
    with open(LOG, "a") as f:
        f.write("%s [%d] %s\n" % (datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z", os.getpid(), msg))


def load_cases():
    with open(DATA + "/cases.json") as f:
        return json.load(f)


class CaseView:
    """What a label or a note may show of a case."""

    def __init__(self, case):
        self.ref = case["ref"]
        self.dentist = case["dentist"]
        self.practice = case["practice"]
        self.kind = case["kind"]
        self.shade = case["shade"]
        self.due = case["due"]
        self.status = case["status"]
        self.track = case["track"]

    def __str__(self):
        return self.ref


class Base(tornado.web.RequestHandler):
    def get_current_user(self):
        v = self.get_secure_cookie("cuspid_user", max_age_days=7)
        return json.loads(v) if v else None

    def case(self, cid):
        c = load_cases().get(cid)
        if not c:
            raise tornado.web.HTTPError(404)
        return c

    def need(self, role=None):
        u = self.current_user
        if not u or (role and u.get("role") != role):
            raise tornado.web.HTTPError(403)
        return u

    def write_error(self, status_code, **kw):
        self.set_header("Content-Type", "text/plain")
        self.finish("%d %s\n" % (status_code, self._reason))


class Index(Base):
    def get(self):
        cases = load_cases()
        self.render("index.html", cases=sorted(cases.items()), user=self.current_user)


class CasePage(Base):
    def get(self, cid):
        self.render("case.html", cid=cid, c=self.case(cid), user=self.current_user)


class Photo(Base):
    def get(self, cid):
        c = self.case(cid)
        w = int(self.get_argument("w", "320"))
        if not 32 <= w <= 2000:
            raise tornado.web.HTTPError(400)
        out = "%s/thumbs/c%s-%d.png" % (STATE, cid, w)
        if not os.path.exists(out):
            subprocess.run(["/usr/bin/convert", "%s/photos/%s.png" % (DATA, c["photo"]), "-resize", "%dx" % w, out],
                           check=True, timeout=30)
        self.set_header("Content-Type", "image/png")
        self.write(open(out, "rb").read())


class Note(Base):
    """The delivery note: groff -ms through ps2pdf."""

    def get(self, cid):
        c = self.case(cid)
        ms = "%s/notes/N-%s.ms" % (STATE, cid)
        pdf = "%s/notes/N-%s.pdf" % (STATE, cid)
        with open(ms, "w") as f:
            f.write(".TL\nHarrow Dental Laboratory -- delivery note\n.PP\nCase %s for %s (%s)\n.PP\n%s, shade %s, due %s\n"
                    % (c["ref"], c["dentist"], c["practice"], c["kind"], c["shade"], c["due"]))
        subprocess.run("groff -Tps -ms %s | ps2pdf - %s" % (ms, pdf), shell=True, check=True, timeout=30)
        self.set_header("Content-Type", "application/pdf")
        self.write(open(pdf, "rb").read())


class Message(Base):
    def post(self, cid):
        c = self.case(cid)
        body = self.get_argument("message")[:2000]
        sender = self.get_argument("from", c["email"])[:200]
        mail = ("From: cuspid@harrowdental.lab.local\nTo: lab@harrowdental.lab.local\nReply-To: %s\n"
                "Subject: [%s] message from %s\n\n%s\n" % (sender, c["ref"], c["dentist"], body))
        subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=mail.encode(), check=True, timeout=30)
        applog("message %s from %s" % (c["ref"], sender))
        self.write({"ok": True})


class Files(Base):
    """A dentist's photos and scans for a case (staff may add to any case)."""

    def post(self, cid):
        u = self.need()
        c = self.case(cid)
        if u.get("role") != "staff" and u.get("dentist") != c["dentist"]:
            raise tornado.web.HTTPError(403)
        saved = []
        for f in self.request.files.get("scan", []):
            name = f["filename"]
            if not name.lower().endswith(ALLOWED):
                raise tornado.web.HTTPError(400, reason="file type not accepted")
            d = os.path.join(UPLOADS, cid)
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, name)
            with open(path, "wb") as out:
                out.write(f["body"])
            saved.append({"name": name, "bytes": len(f["body"])})
            applog("upload %s %s %d bytes by %s" % (c["ref"], name, len(f["body"]), u.get("name")))
        self.write({"saved": saved})


class Archive(Base):
    def get(self, cid):
        self.need("staff")
        self.case(cid)
        d = os.path.join(UPLOADS, cid)
        if not os.path.isdir(d) or not os.listdir(d):
            raise tornado.web.HTTPError(404, reason="nothing sent for this case")
        out = "%s/exports/case-%s.zip" % (STATE, cid)
        if os.path.exists(out):
            os.unlink(out)
        subprocess.run(["/usr/bin/zip", "-j", "-q", "-r", out, d], check=True, timeout=60)
        self.set_header("Content-Type", "application/zip")
        self.write(open(out, "rb").read())


class Label(Base):
    """The courier's parcel label; its layout is a format string (the courier firms differ; 4.2: the firms'
    layouts ship in courier_formats.py, ?courier=dpd|ups|royalmail)."""

    def get(self, track):
        c = [x for x in load_cases().values() if x["track"] == track]
        if not c:
            raise tornado.web.HTTPError(404)
        courier = self.get_argument("courier", "")
        fmt = self.get_argument("fmt", courier_formats.FORMATS.get(courier, CONF["label_format"]))
        try:
            text = fmt.format(case=CaseView(c[0]), now=datetime.datetime.utcnow())
        except (KeyError, AttributeError, IndexError, ValueError) as e:
            raise tornado.web.HTTPError(400, reason="bad label format: %s" % type(e).__name__)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write(text + "\n")


class Login(Base):
    def post(self):
        users = CONF["users"]
        name = self.get_argument("user")
        pin = self.get_argument("pin")
        u = users.get(name)
        if not u or u["pin"] != pin:
            applog("login failed for %s" % name)
            raise tornado.web.HTTPError(401)
        self.set_secure_cookie("cuspid_user", json.dumps({"name": name, "role": u["role"], "dentist": u.get("dentist")}))
        self.write({"ok": True, "role": u["role"]})


class Mill(Base):
    """Staff queue a case for milling: the job goes to the mill worker."""

    def post(self, cid):
        self.need("staff")
        c = self.case(cid)
        job = {"case": c["ref"], "kind": c["kind"], "shade": c["shade"], "material": self.get_argument("material", "zirconia"),
               "units": int(self.get_argument("units", "1")), "ts": time.time()}
        conn = Client(("127.0.0.1", CONF["mill"]["port"]), authkey=CONF["mill"]["authkey"].encode())
        conn.send(job)
        answer = conn.recv()
        conn.close()
        applog("mill job %s -> %s" % (c["ref"], answer))
        self.write({"job": answer})


class TemplatePreview(Base):
    """Staff edit the mail templates; preview renders one with a sample case."""

    def post(self):
        self.need("staff")
        body = self.get_argument("template")
        c = CaseView(next(iter(load_cases().values())))
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write(tornado.template.Template(body).generate(case=c))


class Shade(Base):
    def get(self, name):
        if not os.path.exists("%s/templates/shades/%s.html" % (APP, name)):
            raise tornado.web.HTTPError(404)
        self.render("shades/%s.html" % name)


class Health(Base):
    def get(self):
        r = subprocess.run(["/bin/df", "-P", ROOT], capture_output=True, text=True, timeout=10)
        self.set_header("Content-Type", "text/plain")
        self.write("ok pid %d\n%s" % (os.getpid(), r.stdout.splitlines()[-1]))


def make_app():
    return tornado.web.Application([
        (r"/", Index),
        (r"/cases/(\d+)", CasePage),
        (r"/cases/(\d+)/photo", Photo),
        (r"/cases/(\d+)/note\.pdf", Note),
        (r"/cases/(\d+)/message", Message),
        (r"/cases/(\d+)/files", Files),
        (r"/cases/(\d+)/archive\.zip", Archive),
        (r"/cases/(\d+)/mill", Mill),
        (r"/track/([A-Z0-9]+)/label", Label),
        (r"/api/login", Login),
        (r"/admin/templates/preview", TemplatePreview),
        (r"/shades/([a-z0-9-]+)", Shade),
        (r"/healthz", Health),
    ], template_path=APP + "/templates", cookie_secret=CONF["cookie_secret"], xsrf_cookies=False,
        static_path=APP + "/static")


def main():
    sock = tornado.netutil.bind_unix_socket(CONF["socket"], mode=0o666)
    applog("cuspid %s parent starting, %d processes" % (open(APP + "/VERSION").read().strip(), CONF["processes"]))
    tornado.process.fork_processes(CONF["processes"], max_restarts=1000)
    # a child ends with its parent (the supervisor stops the parent by pid)
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    applog("worker %d up" % tornado.process.task_id())
    server = tornado.httpserver.HTTPServer(make_app(), xheaders=True)
    server.add_sockets([sock])
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
