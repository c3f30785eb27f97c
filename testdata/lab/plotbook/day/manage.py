#!/usr/bin/python3
# Plotbook's management command (run by hand as plotbook from /srv/plotbook/app):
#   manage.py stats             counts of plots, waiting list and notices, the newest export
#   manage.py integrity         sqlite's integrity check of the register
#   manage.py prune-exports N   exports older than N minutes removed from /var/lib/plotbook/exports
import glob, json, os, sqlite3, sys, time

CONF = json.load(open("/srv/plotbook/conf/settings.json"))
EXPORTS = "/var/lib/plotbook/exports"


def stats(c):
    for t in ("plots", "waiting_list", "notices"):
        print("%-13s %d" % (t, c.execute("SELECT count(*) FROM %s" % t).fetchone()[0]))
    ex = sorted(glob.glob(EXPORTS + "/*.zip"), key=os.path.getmtime)
    print("newest export %s" % (os.path.basename(ex[-1]) if ex else "-"))


def integrity(c):
    print("integrity", c.execute("PRAGMA integrity_check").fetchone()[0])


def prune(minutes):
    n = 0
    for p in glob.glob(EXPORTS + "/plots-*"):
        if time.time() - os.path.getmtime(p) > minutes * 60:
            os.remove(p)
            n += 1
    print("pruned %d export files" % n)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "stats"
    c = sqlite3.connect(CONF["DATABASE"], timeout=10)
    if cmd == "stats":
        stats(c)
    elif cmd == "integrity":
        integrity(c)
    elif cmd == "prune-exports":
        prune(int(sys.argv[2]) if len(sys.argv) > 2 else 60)
    else:
        sys.exit("usage: manage.py stats|integrity|prune-exports [minutes]")
