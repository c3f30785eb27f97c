#!/usr/bin/python3
# uWSGI cron of the plotbook vassal: the sitemap of the plot pages into the static folder
import sqlite3, time
c = sqlite3.connect("/srv/plotbook/data/plots.db")
ids = [r[0] for r in c.execute("SELECT id FROM plots ORDER BY id")]
with open("/srv/plotbook/app/static/sitemap.xml", "w") as f:
    f.write('<?xml version="1.0"?>\n<urlset>\n')
    for i in ids:
        f.write("  <url><loc>http://plots.lab.local/plot/%s</loc></url>\n" % i)
    f.write("</urlset>\n<!-- %s -->\n" % time.strftime("%Y-%m-%dT%H:%M:%S"))
