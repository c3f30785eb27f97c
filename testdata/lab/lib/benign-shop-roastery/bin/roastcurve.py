#!/usr/bin/env python3
"""The roastery's curve drawer: reads an Artisan roast log (.alog saved as
JSON: timex, temp1 = environment, temp2 = bean, computed.* events) and writes
an SVG of the bean and environment temperatures with the first crack and the
drop marked. Prints 'DEV <seconds> DROP <temp>' for the upload log.

  roastcurve.py LOG.alog OUT.svg
"""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: roastcurve.py LOG.alog OUT.svg")
    src, out = sys.argv[1], sys.argv[2]
    with open(src, "rb") as fh:
        raw = fh.read()
    try:
        log = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        sys.exit("not an Artisan JSON log: %s" % e.__class__.__name__)
    t, env, bt = log.get("timex") or [], log.get("temp1") or [], log.get("temp2") or []
    if not t or len(t) != len(bt) or len(t) != len(env):
        sys.exit("the log has no matching timex/temp1/temp2 series")
    comp = log.get("computed", {})
    w, h, tmax = 640.0, 320.0, max(t[-1], 1)

    def pts(series):
        return " ".join("%.1f,%.1f" % (x / tmax * w, h - max(0.0, min(y, 260.0)) / 260.0 * h) for x, y in zip(t, series))

    fc, drop = comp.get("FCs_time"), comp.get("DROP_time")
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="640" height="340" viewBox="0 0 640 340">',
             '<title>%s batch %s</title>' % (log.get("title", "roast"), log.get("roastbatchnr", "")),
             '<polyline fill="none" stroke="#a33" stroke-width="2" points="%s"/>' % pts(bt),
             '<polyline fill="none" stroke="#36a" stroke-width="1" points="%s"/>' % pts(env)]
    for label, x in (("FC", fc), ("DROP", drop)):
        if x:
            parts.append('<line x1="%.1f" x2="%.1f" y1="0" y2="320" stroke="#999"/><text x="%.1f" y="335" font-size="11">%s</text>'
                         % (x / tmax * w, x / tmax * w, x / tmax * w, label))
    parts.append("</svg>")
    with open(out, "w") as fh:
        fh.write("\n".join(parts) + "\n")
    dev = (drop - fc) if fc and drop else 0
    print("DEV %d DROP %.1f" % (dev, comp.get("DROP_BT", bt[-1])))


if __name__ == "__main__":
    main()
