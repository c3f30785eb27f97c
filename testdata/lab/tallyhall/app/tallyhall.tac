# Tallyhall 1.8, Ravensgate Fish Market's lot catalogue: a Twisted Web app
# (twistd -n -y tallyhall.tac, one python3 process as tallyweb 2121 on
# 127.0.0.1:8170, no front server). The access log is Twisted's own combined
# log (server.Site logPath). Lab app (testdata/lab/tallyhall/).
import json, os, subprocess, time
from lxml import etree
from twisted.application import internet, service
from twisted.web import resource, server, static, script

S = "/srv/tallyhall"
CACHE = "/var/lib/tallyhall/cache"
CONF = {}
for line in open(S + "/conf/tallyhall.ini"):
    if "=" in line and not line.startswith(("#", "[")):
        k, v = line.split("=", 1)
        CONF[k.strip()] = v.strip()


def lots():
    return json.load(open(S + "/data/lots.json"))


def catalogue_xml():
    root = etree.Element("catalogue", market="Ravensgate", day=time.strftime("%Y-%m-%d"))
    for l in lots():
        e = etree.SubElement(root, "lot", id=l["id"])
        for k in ("species", "kg", "boat", "grade", "reserve"):
            etree.SubElement(e, k).text = str(l[k])
    return root


def page(title, body):
    return ("<!doctype html><html><head><title>%s - Tallyhall</title>"
            "<link rel=stylesheet href=/static/tally.css></head><body><h1>%s</h1>%s"
            "<script src=/static/tally.js></script></body></html>" % (title, title, body)).encode()


class Home(resource.Resource):
    isLeaf = True
    def render_GET(self, req):
        rows = "".join("<tr><td><a href=/lots/%s>%s</a><td>%s<td>%s kg<td>%s</tr>" % (l["id"], l["id"], l["species"], l["kg"], l["boat"]) for l in lots())
        return page("Today's lots", "<table>%s</table>" % rows)


class Lots(resource.Resource):
    isLeaf = True
    def render_GET(self, req):
        parts = [p.decode() for p in req.postpath if p]
        by = {l["id"]: l for l in lots()}
        if not parts or parts[0] not in by:
            req.setResponseCode(404); return page("Not found", "")
        l = by[parts[0]]
        if len(parts) == 2 and parts[1] == "photo.png":
            try:
                w = max(32, min(1024, int(req.args.get(b"w", [b"240"])[0])))
            except ValueError:
                req.setResponseCode(400); return b"bad width"
            out = "%s/%s-%d.png" % (CACHE, l["id"], w)
            if not os.path.exists(out):
                subprocess.run(["/usr/bin/convert", "-size", "%dx%d" % (w, w * 2 // 3), "xc:#cfe3ea",
                                "-fill", "#12384a", "-draw", "rectangle 8,8 %d,%d" % (w - 8, w // 3), out], check=False)
            req.setHeader(b"content-type", b"image/png")
            return open(out, "rb").read() if os.path.exists(out) else b""
        return page("Lot " + l["id"], "<p>%s, %s kg, %s, grade %s</p><img src=/lots/%s/photo.png?w=240>" % (l["species"], l["kg"], l["boat"], l["grade"], l["id"]))


class Bid(resource.Resource):
    isLeaf = True
    def render_POST(self, req):
        a = {k.decode(): v[0].decode("utf-8", "replace") for k, v in req.args.items()}
        msg = "To: %s\nFrom: auction@ravensgate.lab\nSubject: Bid on lot %s\n\nYour bid of %s EUR on lot %s is registered.\n" % (
            a.get("email", ""), a.get("lot", ""), a.get("amount", ""), a.get("lot", ""))
        subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg.encode(), check=False)
        with open(S + "/data/bids.csv", "a") as f:
            f.write("%s,%s,%s,%s\n" % (time.strftime("%H:%M:%S"), a.get("lot", ""), a.get("amount", ""), a.get("email", "")))
        return page("Bid registered", "<p>Thank you.</p>")


class Health(resource.Resource):
    isLeaf = True
    def render_GET(self, req):
        df = subprocess.run(["/bin/df", "-P", S], capture_output=True, text=True).stdout
        req.setHeader(b"content-type", b"text/plain")
        return ("ok\n" + df + open("/proc/loadavg").read()).encode()


class Export(resource.Resource):
    # /export/preview: POST a stylesheet, get it applied to today's catalogue
    # (the clerks' format designer); /export/<name>: a saved format (clerk key)
    isLeaf = True
    def render_POST(self, req):
        if req.postpath != [b"preview"]:
            req.setResponseCode(404); return b""
        try:
            xslt = etree.XSLT(etree.fromstring(req.content.read()))
            out = xslt(catalogue_xml())
        except Exception as e:
            req.setResponseCode(422); return ("stylesheet error: %s\n" % e).encode()
        req.setHeader(b"content-type", b"text/plain; charset=utf-8")
        return str(out).encode()
    def render_GET(self, req):
        if req.getHeader("x-clerk-key") != CONF.get("clerk_key"):
            req.setResponseCode(403); return b"clerk key required\n"
        name = (req.postpath or [b""])[0].decode()
        p = "%s/conf/formats/%s.xsl" % (S, os.path.basename(name))
        if not os.path.exists(p):
            req.setResponseCode(404); return b""
        out = etree.XSLT(etree.parse(p))(catalogue_xml())
        req.setHeader(b"content-type", b"text/csv")
        return str(out).encode()


root = resource.Resource()
root.putChild(b"", Home())
root.putChild(b"lots", Lots())
root.putChild(b"bid", Bid())
root.putChild(b"health", Health())
root.putChild(b"export", Export())
root.putChild(b"static", static.File(S + "/htdocs/static"))
tools = static.File(S + "/htdocs/tools")
tools.processors = {".rpy": script.ResourceScript}   # the ops widgets
tools.indexNames = ["index.rpy"]
root.putChild(b"tools", tools)

application = service.Application("tallyhall")
site = server.Site(root, logPath="/var/log/tallyhall/access.log")
internet.TCPServer(8170, site, interface="127.0.0.1").setServiceParent(application)
