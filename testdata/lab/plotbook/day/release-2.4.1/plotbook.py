# Plotbook 2.4, the Hollins Lane Allotment Society's plot register (Flask under uWSGI)
import csv, io, json, os, sqlite3, subprocess, time
from flask import Flask, request, abort, render_template_string, send_file, Response

import plotmap  # vendor/plotmap: the site plan helper

app = Flask(__name__)
app.config.from_file("/srv/plotbook/conf/settings.json", load=json.load)
DB = app.config["DATABASE"]
VERSION = "2.4.1"

PAGE = """<!doctype html><html><head><title>Hollins Lane Allotments</title>
<link rel="stylesheet" href="/static/plots.css"></head><body><h1>Hollins Lane Allotments</h1>
{% block body %}{% endblock %}<footer>Plotbook {{ version }}</footer></body></html>"""


def db():
    c = sqlite3.connect(DB, timeout=10)
    c.row_factory = sqlite3.Row
    return c


def page(body, **kw):
    return render_template_string(PAGE.replace("{% block body %}{% endblock %}", body), version=VERSION, **kw)


def log_request(resp):
    with open("/var/log/plotbook/app.log", "a") as f:
        f.write("%s %s %s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), request.method, request.full_path, resp.status_code))
    return resp


app.after_request(log_request)


@app.route("/")
def index():
    rows = db().execute("SELECT id, holder, size, crop FROM plots ORDER BY id").fetchall()
    return page("<table>{% for r in rows %}<tr><td><a href='/plot/{{ r.id }}'>{{ r.id }}</a></td><td>{{ r.holder }}</td>"
                "<td>{{ r.size }}</td><td>{{ r.crop }}</td></tr>{% endfor %}</table><p>{{ grid }}</p>",
                rows=rows, grid=plotmap.summary(len(rows)))


@app.route("/plot/<pid>")
def plot(pid):
    r = db().execute("SELECT * FROM plots WHERE id = ?", (pid,)).fetchone()
    if r is None:
        abort(404)
    return page("<h2>Plot {{ r.id }}</h2><p>{{ r.holder }}, {{ r.size }} rods, {{ r.crop }}</p>"
                "<img src='/map?w=400&plot={{ r.id }}'>", r=r)


@app.route("/map")
def site_map():
    w = request.args.get("w", "400")
    if not w.isdigit() or not 80 <= int(w) <= 1600:
        abort(400)
    out = "/var/lib/plotbook/maps/site-%s.png" % w
    if not os.path.exists(out):
        subprocess.run(["/usr/bin/convert", "/srv/plotbook/data/site.png", "-resize", "%sx" % w, out], check=True, timeout=30)
    return send_file(out, mimetype="image/png")


@app.route("/healthz")
def healthz():
    out = subprocess.run(["/bin/df", "-P", "/srv/plotbook"], capture_output=True, text=True, timeout=10).stdout
    return Response("ok\n" + out.splitlines()[-1] + "\n", mimetype="text/plain")


@app.route("/waitlist", methods=["POST"])
def waitlist():
    name, email = request.form.get("name", "")[:80], request.form.get("email", "")[:120]
    if "@" not in email:
        abort(400)
    c = db()
    c.execute("INSERT INTO waiting_list (name, email, joined) VALUES (?, ?, date('now'))", (name, email))
    c.commit()
    msg = "To: %s\nSubject: waiting list: %s\n\n%s <%s> joined the waiting list.\n" % (app.config["SECRETARY"], name, name, email)
    subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg, text=True, timeout=20)
    return page("<p>Thank you, {{ n }}: you are on the waiting list.</p>", n=name)


@app.route("/export")
def export():
    year = request.args.get("year", "2026")
    if not year.isdigit():
        abort(400)
    d = "/var/lib/plotbook/exports"
    csvp = "%s/plots-%s.csv" % (d, year)
    with open(csvp, "w", newline="") as f:
        w = csv.writer(f)
        for r in db().execute("SELECT id, holder, size, crop FROM plots"):
            w.writerow(list(r))
    subprocess.run(["/usr/bin/zip", "-j", "-q", "-o", "%s/plots-%s.zip" % (d, year), csvp], check=True, timeout=30)
    return send_file("%s/plots-%s.zip" % (d, year), mimetype="application/zip")


# the committee's notice board: the editor previews a notice before it is posted
@app.route("/notices/preview", methods=["GET", "POST"])
def notice_preview():
    title = request.values.get("title", "Notice")
    body = request.values.get("body", "")
    # the title is put into the template itself (so the editor may use the site's filters in it)
    return render_template_string(PAGE.replace("{% block body %}{% endblock %}",
                                  "<h2>" + title + "</h2><div class='notice'>{{ body }}</div>"), version=VERSION, body=body)


@app.route("/notices")
def notices():
    rows = db().execute("SELECT title, posted FROM notices ORDER BY posted DESC").fetchall()
    return page("<ul>{% for r in rows %}<li>{{ r.posted }}: {{ r.title }}</li>{% endfor %}</ul>", rows=rows)
