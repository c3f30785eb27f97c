#!/usr/bin/env python3
"""Lab tooling: prints the per-scenario step tables of testdata/lab/README.md
from the committed ground-truth.json files (a held-out capture's
held-out-ground-truth.json when it has no ground-truth.json yet).

  steps-md.py testdata/lab/webshell-classic testdata/lab/webshell-variant ...
"""
import json
import os
import re
import sys


def main():
    for d in sys.argv[1:]:
        held = not os.path.exists(os.path.join(d, "ground-truth.json"))
        gt = json.load(open(os.path.join(d, "held-out-ground-truth.json" if held else "ground-truth.json")))
        w = gt["window"]
        print("#### `%s/`%s (window %s .. %s UTC, %d s)\n" % (
            os.path.basename(d.rstrip("/")), " (held out until scored)" if held else "",
            w["start_iso"], w["end_iso"][11:], round(w["end"] - w["start"])))
        print("| stage | step | start .. end (UTC) | key evidence (audit serial) |")
        print("| --- | --- | --- | --- |")
        for s in gt["steps"]:
            ev = []
            for e in s["evidence"]:
                if e["hits"]:
                    ev.append("%s: %d" % (re.sub(r"\s*\([^)]*\)$", "", e["what"]), e["hits"][0]["serial"]))
                else:
                    ev.append("%s: NO HIT" % e["what"])
            print("| %d %s | `%s` | %s .. %s | %s |" % (
                s["stage"], s["stage_id"], s["id"], s["start_iso"][11:23], s["end_iso"][11:23], "; ".join(ev).replace("|", "\\|")))
        if gt.get("verification_problems"):
            print("\nverification problems: " + "; ".join(gt["verification_problems"]))
        print()


if __name__ == "__main__":
    main()
