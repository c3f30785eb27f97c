"""netdiag 2.3: the lab's "network tools" WSGI app with saved diagnostics
profiles, extension plugins and a backup button (scenario-netdiag-profile
only: lib/netdiag-setup.sh installs it over /srv/webapp/app.py and puts the
original testdata/lab/webapp/app.py back afterwards). Served by gunicorn as
the 'webapp' user (2004), 127.0.0.1:8080.

DELIBERATELY VULNERABLE (lab only): POST /api/profiles/import unpickles the
client's "saved profile" (base64 of a pickle, as /api/profiles/export hands
it out): CWE-502, any callable runs in the worker. The plugin folder
/srv/webapp/plugins is owned by the service account, and every *.py in it is
(re)loaded when its mtime changes (the planted misconfiguration).
/api/ping keeps its argv (no shell) in this release.
"""
import base64
import glob
import importlib.util
import json
import os
import pickle
import subprocess
import time
from urllib.parse import parse_qs

ITEMS = [{"sku": "MUG-1", "stock": 12}, {"sku": "TEE-2", "stock": 4}]
BASE = "/srv/webapp"
PROFILES = BASE + "/profiles"
PLUGINS = BASE + "/plugins"
_plugins = {}   # path -> (mtime, module)


def _resp(start_response, status, body, ctype="text/plain"):
    data = body.encode() if isinstance(body, str) else body
    start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data)))])
    return [data]


def _settings():
    cfg = {}
    for line in open(BASE + "/netdiag.ini"):
        line = line.strip()
        if "=" in line and not line.startswith(("#", ";", "[")):
            k, v = line.split("=", 1)
            cfg[k.strip()] = v.strip()
    return cfg


def _load_plugins():
    """every plugin that defines ROUTE and handle(environ) -> (status, body)"""
    routes = {}
    for path in sorted(glob.glob(PLUGINS + "/*.py")):
        mtime = os.stat(path).st_mtime
        have = _plugins.get(path)
        if not have or have[0] != mtime:
            spec = importlib.util.spec_from_file_location("netdiag_plugin_" + os.path.basename(path)[:-3], path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            _plugins[path] = (mtime, mod)
        mod = _plugins[path][1]
        routes[mod.ROUTE] = mod
    return routes


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    qs = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/":
        return _resp(start_response, "200 OK", "<h1>netdiag 2.3</h1><a href='/api/ping?host=127.0.0.1'>ping</a>", "text/html")
    if path == "/api/health":
        out = subprocess.run(["uptime"], capture_output=True, text=True).stdout
        return _resp(start_response, "200 OK", "ok " + out)
    if path == "/api/report":
        return _resp(start_response, "200 OK", json.dumps({"items": ITEMS}), "application/json")
    if path == "/api/ping":
        host = qs.get("host", ["127.0.0.1"])[0]
        if not host.replace(".", "").replace("-", "").isalnum():
            return _resp(start_response, "400 Bad Request", "bad host\n")
        proc = subprocess.run(["ping", "-c", "1", "-W", "1", host], capture_output=True, text=True, timeout=60)
        return _resp(start_response, "200 OK", proc.stdout + proc.stderr)
    if path == "/api/profiles/export":
        name = os.path.basename(qs.get("name", ["default"])[0])
        try:
            prof = json.load(open("%s/%s.json" % (PROFILES, name)))
        except OSError:
            return _resp(start_response, "404 Not Found", "no such profile\n")
        return _resp(start_response, "200 OK", base64.b64encode(pickle.dumps(prof)))
    if path == "/api/profiles/import" and environ.get("REQUEST_METHOD") == "POST":
        n = int(environ.get("CONTENT_LENGTH") or 0)
        blob = environ["wsgi.input"].read(n)
        # the flaw: a client's pickle is trusted (it "came from our export")
        prof = pickle.loads(base64.b64decode(blob))
        if not isinstance(prof, dict):
            return _resp(start_response, "400 Bad Request", "not a profile: %r\n" % (prof,))
        name = os.path.basename(str(prof.get("name", "imported")))
        with open("%s/%s.json" % (PROFILES, name), "w") as f:
            json.dump(prof, f)
        return _resp(start_response, "200 OK", "imported %s\n" % name)
    if path == "/api/admin/backup":
        if environ.get("HTTP_X_NETDIAG_TOKEN") != _settings().get("admin_token"):
            return _resp(start_response, "403 Forbidden", "no\n")
        out = "/var/backups/netdiag/profiles-%s.tgz" % time.strftime("%Y%m%dT%H%M%S")
        proc = subprocess.run(["sudo", "-n", "/usr/bin/tar", "-czf", out, "-C", BASE, "profiles"],
                              capture_output=True, text=True, timeout=60)
        return _resp(start_response, "200 OK", "%s %d %s" % (out, proc.returncode, proc.stderr))
    if path.startswith("/api/x/"):
        mod = _load_plugins().get(path)
        if mod:
            status, body = mod.handle(environ)
            return _resp(start_response, status, body)
    return _resp(start_response, "404 Not Found", "not found\n")
