"""Berthplan 2.4: Kittiwake Marina's berth booking service (FastAPI on uvicorn).

Runs as berthd from /srv/berthplan/app. Routes:
  GET  /                       the berth board (Jinja2)
  GET  /page/{name}            the marina's info pages: templates/pages/<name>.html
  GET  /api/availability       free berths for a date (JSON, no exec)
  GET  /api/berths/{id}/plan.png?w=   the berth plan drawn with convert (argv), cached per width
  POST /api/bookings           a booking (form); the confirmation mail by sendmail -t -i (argv)
  GET  /api/health             the load balancer's probe: df -P (argv) + loadavg
  POST /api/admin/rules        the office's allocation rules (YAML body, X-Berth-Key)
  GET  /api/admin/export       the bookings as tar.gz (tar -czf - argv, X-Berth-Key)
"""
import json
import os
import subprocess
import time
from datetime import datetime, timezone

import yaml
from fastapi import FastAPI, Form, Header, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

BASE = "/srv/berthplan"
APP = BASE + "/app"
CONF = yaml.safe_load(open(BASE + "/conf/berthplan.yaml"))
BERTHS = json.load(open(BASE + "/data/berths.json"))
REQLOG = "/var/log/berthplan/requests.log"

app = FastAPI(title="Berthplan", version="2.4.1", docs_url=None, redoc_url=None, openapi_url=None)
app.mount("/static", StaticFiles(directory=APP + "/static"), name="static")
templates = Jinja2Templates(directory=APP + "/templates")


@app.middleware("http")
async def request_log(request: Request, call_next):
    t0 = time.time()
    resp = await call_next(request)
    rec = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "client": request.client.host if request.client else "-",
           "method": request.method, "path": request.url.path + ("?" + request.url.query if request.url.query else ""),
           "status": resp.status_code, "ua": request.headers.get("user-agent", "-"), "ms": round((time.time() - t0) * 1000, 1)}
    with open(REQLOG, "a") as fh:
        fh.write(json.dumps(rec, separators=(",", ":")) + "\n")
    return resp


def office(key):
    if key != CONF["office"]["api_key"]:
        raise HTTPException(status_code=403, detail="office key required")


@app.get("/", response_class=HTMLResponse)
async def board(request: Request):
    return templates.TemplateResponse("index.html", {"request": request, "berths": BERTHS, "marina": CONF["marina"]})


@app.get("/page/{name}", response_class=HTMLResponse)
async def page(request: Request, name: str):
    # the office edits these pages as files; any name found under pages/ is served
    if "/" in name or name.startswith(".") or not os.path.exists(f"{APP}/templates/pages/{name}.html"):
        raise HTTPException(status_code=404)
    return templates.TemplateResponse(f"pages/{name}.html", {"request": request, "marina": CONF["marina"]})


@app.get("/api/availability")
async def availability(date: str = "2026-12-06"):
    booked = set()
    try:
        for line in open(BASE + "/data/bookings.csv"):
            p = line.strip().split(",")
            if len(p) > 2 and p[2] == date:
                booked.add(p[1])
    except FileNotFoundError:
        pass
    return {"date": date, "free": [b["id"] for b in BERTHS if b["id"] not in booked]}


@app.get("/api/berths/{bid}/plan.png")
def plan(bid: str, w: int = 320):
    b = next((x for x in BERTHS if x["id"] == bid), None)
    if b is None or not 64 <= w <= 1200:
        raise HTTPException(status_code=404)
    out = f"/var/lib/berthplan/cache/plan-{bid}-{w}.png"
    if not os.path.exists(out):
        subprocess.run(["/usr/bin/convert", "-size", f"{w}x{w // 2}", "xc:#e8f1f8", "-fill", "#1d4e6b", "-draw",
                        f"rectangle 10,10 {w - 10},{w // 2 - 10}", "-fill", "white", "-pointsize", "16",
                        "-annotate", "+20+30", f"{b['id']} {b['length_m']} m", out], check=True, timeout=20)
    return FileResponse(out, media_type="image/png")


@app.post("/api/bookings")
def booking(berth: str = Form(...), name: str = Form(...), email: str = Form(...), date: str = Form(...), nights: int = Form(1)):
    if not any(b["id"] == berth for b in BERTHS):
        raise HTTPException(status_code=404)
    ref = "KW-%d" % (time.time() * 1000 % 10000000)
    with open(BASE + "/data/bookings.csv", "a") as fh:
        fh.write(f"{ref},{berth},{date},{nights},{email}\n")
    msg = (f"From: {CONF['mail']['from']}\nTo: {email}\nSubject: Berth {berth} booked ({ref})\n\n"
           f"Dear {name},\n\nberth {berth} is yours from {date} for {nights} night(s).\n\nKittiwake Marina\n")
    subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg.encode(), check=True, timeout=20)
    return {"ref": ref, "berth": berth}


@app.get("/api/health")
def health():
    df = subprocess.run(["/bin/df", "-P", BASE], capture_output=True, text=True, timeout=10).stdout.splitlines()[-1]
    return {"ok": True, "disk": df.split()[4], "load": open("/proc/loadavg").read().split()[0]}


@app.post("/api/admin/rules")
async def rules(request: Request, x_berth_key: str = Header(None)):
    office(x_berth_key)
    body = (await request.body()).decode("utf-8", "replace")
    # the full loader: the office's rule files use !!python/tuple for berth ranges
    try:
        doc = yaml.load(body, Loader=yaml.Loader)
    except yaml.YAMLError as e:
        return JSONResponse({"error": "bad YAML: %s" % str(e).splitlines()[0]}, status_code=400)
    rules = doc.get("rules", []) if isinstance(doc, dict) else []
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    with open(f"{BASE}/data/rules/rules-{stamp}.yaml", "w") as fh:
        fh.write(body)
    return {"imported": len(rules), "season": doc.get("season") if isinstance(doc, dict) else None, "parsed": repr(doc)[:4000]}


@app.get("/api/admin/export")
def export(x_berth_key: str = Header(None)):
    office(x_berth_key)
    data = subprocess.run(["/bin/tar", "-czf", "-", "-C", BASE + "/data", "bookings.csv", "berths.json"],
                          capture_output=True, check=True, timeout=30).stdout
    return Response(data, media_type="application/gzip")
