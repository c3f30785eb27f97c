"""root's cron (cd /var/spool/millrun && python3 -m millrun.report): the day's
nested jobs counted per material into /var/lib/millrun/report.json."""
import collections
import glob
import json
import time

from millrun import SPOOL


def main():
    per = collections.Counter()
    units = 0
    for p in glob.glob(SPOOL + "/done/*.json"):
        try:
            j = json.load(open(p))
        except ValueError:
            continue
        per[j.get("material", "?")] += 1
        units += int(j.get("units", 1))
    rep = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "jobs": sum(per.values()), "units": units, "per_material": per}
    with open("/var/lib/millrun/report.json", "w") as f:
        json.dump(rep, f)
    print("%s jobs=%d units=%d %s" % (rep["at"], rep["jobs"], units, dict(per)))


if __name__ == "__main__":
    main()
