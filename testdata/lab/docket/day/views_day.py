"""Docket 3.1.4's additions: the court bundle as a zip, the cover sheet
(groff | ps2pdf through the shell, as the firm's old PHP docket did), a
PDF exhibit's first page as PNG (Ghostscript), the clerks' cause list
(filtered by the court kept in the session) and its publication as static
pages Apache serves (/static/causelist/)."""
import html
import json
import os
import subprocess
import tempfile

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .views import _case, _cases


def bundle(request, no):
    c = _case(no)
    d = os.path.join(settings.MEDIA_ROOT, c["no"])
    z = subprocess.run(["/usr/bin/zip", "-q", "-r", "-j", "-", d], capture_output=True).stdout
    r = HttpResponse(z, content_type="application/zip")
    r["Content-Disposition"] = 'attachment; filename="%s-bundle.zip"' % c["no"]
    return r


def cover(request, no):
    c = _case(no)
    os.makedirs(settings.EXPORT_DIR, exist_ok=True)
    out = os.path.join(settings.EXPORT_DIR, "%s-cover.pdf" % c["no"])
    fd, tr = tempfile.mkstemp(prefix="docket-cover-", suffix=".tr")
    with os.fdopen(fd, "w") as f:
        f.write(".ps 18\n.ce\nHARROW & VALE LLP\n.sp 2\n.ps 12\n.ce 3\n%s\n%s\n%s\n.sp\nHearing: %s\n" % (
            c["no"], c["title"], c["court"], c["hearing"]))
    subprocess.run("groff -Tps %s | ps2pdf - %s" % (tr, out), shell=True)
    os.unlink(tr)
    with open(out, "rb") as f:
        return HttpResponse(f.read(), content_type="application/pdf")


def preview(request, no, name):
    _case(no)
    src = os.path.join(settings.MEDIA_ROOT, no, os.path.basename(name))
    if not src.endswith(".pdf") or not os.path.isfile(src):
        raise Http404("no such PDF exhibit")
    out = os.path.join(settings.CACHE_DIR, "%s-%s-p1.png" % (no, os.path.basename(name)))
    if not os.path.exists(out):
        subprocess.run(["/usr/bin/gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r40",
                        "-dFirstPage=1", "-dLastPage=1", "-sOutputFile=" + out, src], capture_output=True)
    if not os.path.exists(out):
        raise Http404("no preview")
    with open(out, "rb") as f:
        return HttpResponse(f.read(), content_type="image/png")


def causelist(request):
    court = request.GET.get("court")
    if court:
        request.session["court"] = court
    court = request.session.get("court", "")
    rows = [c for c in _cases() if not court or court.lower() in c["court"].lower()]
    return JsonResponse({"court": court, "hearings": [[c["hearing"], c["no"], c["court"]] for c in rows]})


def write_causelist():
    """The cause list as static pages (index.html, causelist.json) under
    CAUSELIST_DIR; also run by manage.py publish_causelist."""
    os.makedirs(settings.CAUSELIST_DIR, exist_ok=True)
    cases = sorted(_cases(), key=lambda c: c["hearing"])
    rows = "".join("<tr><td>%s</td><td>%s</td><td>%s</td></tr>" % (c["hearing"], c["no"], html.escape(c["court"]))
                   for c in cases)
    for name, body in (("index.html", "<!doctype html><title>Cause list</title><table>%s</table>" % rows),
                       ("causelist.json", json.dumps([[c["hearing"], c["no"], c["court"]] for c in cases]))):
        tmp = os.path.join(settings.CAUSELIST_DIR, "." + name + ".tmp")
        with open(tmp, "w") as f:
            f.write(body)
        os.replace(tmp, os.path.join(settings.CAUSELIST_DIR, name))
    return len(cases)


@csrf_exempt
def publish(request):
    if request.method != "POST":
        return JsonResponse({"error": "POST to publish"}, status=405)
    return JsonResponse({"published": write_causelist()})
