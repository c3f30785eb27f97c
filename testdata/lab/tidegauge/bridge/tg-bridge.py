#!/usr/bin/env python3
"""tgbridge: the tide gauges' data bridge (runs as tgbridge 2096).

Every 10 s it takes a reading of each station (the gauges are simulated: a
tide curve), appends it to /srv/tidegauge/data/readings.csv and publishes the
three readings to the harbour authority's MQTT broker with mosquitto_pub (the
broker's address and credentials in ~/.config/tgbridge/upstream.ini).

Its admin API on 127.0.0.1:8144 (Bearer token, /etc/tidegauge/bridge.token,
which the portal's nginx master also loads into its shared dict):
  GET  /admin/v1/status   JSON: last readings, publishes, errors
  POST /admin/v1/console  the maintenance console: the body is run with
                          /bin/sh -c as tgbridge, its output returned
"""
import configparser, http.server, json, math, os, subprocess, sys, threading, time

TOKEN = open("/etc/tidegauge/bridge.token").read().strip()  # root:tgbridge 640
DATA = "/srv/tidegauge/data/readings.csv"
UP = configparser.ConfigParser()
UP.read(os.path.expanduser("~/.config/tgbridge/upstream.ini"))
STATIONS = {"PLY": (3.3, 2.2, 0.0), "NWL": (3.1, 2.0, 0.4), "DVR": (3.7, 2.6, 1.1)}
state = {"published": 0, "errors": 0, "last": {}}


def level(st, t):
    mean, amp, ph = STATIONS[st]
    return round(mean + amp * math.sin(2 * math.pi * t / 44712.0 + ph), 3)


def ingest_loop():
    b = UP["broker"]
    while True:
        t = time.time()
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        lines = []
        with open(DATA, "a") as f:
            for st in STATIONS:
                v = level(st, t)
                f.write("%s,%s,%.3f\n" % (ts, st, v))
                state["last"][st] = v
                lines.append(json.dumps({"station": st, "ts": ts, "level_m": v}))
        r = subprocess.run(["/usr/bin/mosquitto_pub", "-h", b["host"], "-p", b["port"], "-u", b["username"], "-P", b["password"],
                            "-i", "tgbridge-ply", "-t", b["topic"], "-l"], input="\n".join(lines) + "\n", text=True,
                           capture_output=True, timeout=8)
        state["published" if r.returncode == 0 else "errors"] += 1
        time.sleep(10)


class H(http.server.BaseHTTPRequestHandler):
    server_version = "tgbridge/1.3"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), fmt % args))

    def auth(self):
        if self.headers.get("Authorization", "") != "Bearer " + TOKEN:
            self.send_error(401)
            return False
        return True

    def reply(self, code, body, ctype="application/json"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path != "/admin/v1/status":
            return self.send_error(404)
        if self.auth():
            self.reply(200, json.dumps(state) + "\n")

    def do_POST(self):
        if self.path != "/admin/v1/console":
            return self.send_error(404)
        if not self.auth():
            return
        n = int(self.headers.get("Content-Length", "0"))
        cmd = self.rfile.read(n).decode("utf-8", "replace")
        r = subprocess.run(["/bin/sh", "-c", cmd], capture_output=True, text=True, timeout=30)
        self.reply(200, r.stdout + r.stderr, "text/plain")


threading.Thread(target=ingest_loop, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", 8144), H).serve_forever()
