#!/usr/bin/env python3
"""The KB's article statistics (root cron, the KB's own venv): counts the
article views in Apache's access log and writes /srv/kb/data/stats.json."""
import collections, json, os, re, sys

LOG = "/var/log/apache2-kb/access.log"
OUT = "/srv/kb/data/stats.json"
pat = re.compile(r'"GET /article\.php\?id=([a-z0-9-]+) ')
views = collections.Counter()
try:
    with open(LOG, errors="replace") as f:
        for line in f:
            m = pat.search(line)
            if m:
                views[m.group(1)] += 1
except OSError as e:
    sys.exit("kb-stats: %s" % e)
tmp = OUT + ".tmp"
with open(tmp, "w") as f:
    json.dump({"views": dict(views.most_common())}, f, indent=1)
os.replace(tmp, OUT)
