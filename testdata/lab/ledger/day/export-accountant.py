#!/usr/bin/env python3
"""The accountant's export (DATEV-like semicolon CSV) of Ledger's invoices."""
import json
import sys

print("Belegnummer;Kunde;Faellig;Betrag;Waehrung;Status")
for v in sorted(json.load(open(sys.argv[1])), key=lambda v: v["id"]):
    print("%d;%s;%s;%.2f;%s;%s" % (v["id"], v.get("customer", ""), v.get("due", ""), v.get("amount", 0),
                                   v.get("currency", "EUR"), v.get("status", "open")))
