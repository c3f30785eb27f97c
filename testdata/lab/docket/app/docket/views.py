"""Docket's views: the case list, a case's page, counsel's exhibit filings
(stored under MEDIA_ROOT, typed with file(1), images thumbnailed with
convert, the clerks told by sendmail), thumbnails, search, the probe."""
import html
import json
import os
import subprocess

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt


def _cases():
    with open(settings.DATA_FILE) as f:
        return json.load(f)


def _case(no):
    for c in _cases():
        if c["no"] == no:
            return c
    raise Http404("no such case")


def _page(title, body):
    return HttpResponse(
        "<!doctype html><html><head><title>%s - Docket</title>"
        '<link rel="stylesheet" href="/static/docket.css"></head>'
        "<body><h1>%s</h1>%s</body></html>" % (html.escape(title), html.escape(title), body))


def index(request):
    rows = "".join('<li><a href="/cases/%s">%s</a> %s, next hearing %s</li>' % (
        c["no"], c["no"], html.escape(c["title"]), c["hearing"]) for c in _cases())
    return _page("Case docket", "<ul>%s</ul>" % rows)


def search(request):
    q = request.GET.get("q", "").lower()
    hits = [c for c in _cases() if q and (q in c["title"].lower() or q in c["court"].lower())]
    return JsonResponse({"q": q, "hits": [c["no"] for c in hits]})


def healthz(request):
    df = subprocess.run(["/bin/df", "-P", "/srv/docket"], capture_output=True, text=True).stdout
    return HttpResponse("ok\n" + df, content_type="text/plain")


def case(request, no):
    c = _case(no)
    d = os.path.join(settings.MEDIA_ROOT, no)
    files = sorted(n for n in os.listdir(d) if not n.endswith(".thumb.png")) if os.path.isdir(d) else []
    ex = "".join("<li>%s</li>" % html.escape(n) for n in files)
    return _page("%s %s" % (c["no"], c["title"]),
                 "<p>%s, hearing %s</p><h2>Exhibits</h2><ul>%s</ul>" % (html.escape(c["court"]), c["hearing"], ex))


@csrf_exempt
def upload(request, no):
    """Counsel file an exhibit for a case: the form's file, an optional
    sub-folder (the filer's bundle name) and a reply address."""
    c = _case(no)
    if request.method != "POST":
        return JsonResponse({"error": "POST an exhibit"}, status=405)
    f = request.FILES["exhibit"]
    folder = request.POST.get("folder") or no
    dest_dir = os.path.join(settings.MEDIA_ROOT, folder)
    os.makedirs(dest_dir, exist_ok=True)
    dest = os.path.join(dest_dir, f.name)
    with open(dest, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    mime = subprocess.run(["/usr/bin/file", "-b", "--mime-type", dest], capture_output=True, text=True).stdout.strip()
    if mime.startswith("image/"):
        subprocess.run(["/usr/bin/convert", dest, "-thumbnail", "320x320", dest + ".thumb.png"], capture_output=True)
    reply = request.POST.get("email", "")
    if reply:
        msg = "To: %s\nCc: %s\nSubject: Exhibit received: %s\n\n%s filed %s (%s) for %s.\n" % (
            reply, settings.CLERKS_MAIL, c["no"], reply, f.name, mime, c["title"])
        subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg, text=True)
    return JsonResponse({"case": c["no"], "stored": f.name, "size": f.size, "type": mime})


def thumb(request, no, name):
    _case(no)
    src = os.path.join(settings.MEDIA_ROOT, no, os.path.basename(name))
    if not os.path.isfile(src):
        raise Http404("no such exhibit")
    w = max(32, min(int(request.GET.get("w", "160")), 1024))
    out = os.path.join(settings.CACHE_DIR, "%s-%s-%d.png" % (no, os.path.basename(name), w))
    if not os.path.exists(out):
        subprocess.run(["/usr/bin/convert", src, "-thumbnail", "%dx%d" % (w, w), out], capture_output=True)
    with open(out, "rb") as f:
        return HttpResponse(f.read(), content_type="image/png")
