# Plotdues: the treasurer's rent and dues ledger of the allotment society (a plain WSGI app, vassal plotdues)
import csv, html
LEDGER = "/srv/plotdues/ledger.csv"


def application(env, start_response):
    rows = list(csv.reader(open(LEDGER)))
    total = sum(float(r[2]) for r in rows[1:])
    body = "<h1>Dues %s</h1><table>" % env.get("PATH_INFO", "/")
    body += "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape(c) for c in r) for r in rows)
    body += "</table><p>total paid: %.2f</p>" % total
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]
