"""Lab "network tools" WSGI app, served by gunicorn as the 'webapp' user.

DELIBERATELY VULNERABLE (lab only): /api/ping builds a shell command line from
the 'host' parameter and runs it with shell=True (CWE-78 command injection).
/api/health and /api/report are benign: the first runs uptime(1), the second
renders a small report with the service's own data.
"""
import json
import subprocess
from urllib.parse import parse_qs

ITEMS = [{"sku": "MUG-1", "stock": 12}, {"sku": "TEE-2", "stock": 4}]


def _resp(start_response, status, body, ctype="text/plain"):
    data = body.encode() if isinstance(body, str) else body
    start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data)))])
    return [data]


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    qs = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/":
        return _resp(start_response, "200 OK", "<h1>netdiag</h1><a href='/api/ping?host=127.0.0.1'>ping</a>", "text/html")
    if path == "/api/health":
        out = subprocess.run(["uptime"], capture_output=True, text=True).stdout
        return _resp(start_response, "200 OK", "ok " + out)
    if path == "/api/report":
        return _resp(start_response, "200 OK", json.dumps({"items": ITEMS}), "application/json")
    if path == "/api/ping":
        host = qs.get("host", ["127.0.0.1"])[0]
        # the flaw: user input inside a shell command line
        proc = subprocess.run("ping -c 1 -W 1 " + host, shell=True, capture_output=True, text=True, timeout=60)
        return _resp(start_response, "200 OK", proc.stdout + proc.stderr)
    return _resp(start_response, "404 Not Found", "not found\n")
