#!/usr/bin/env python3
"""Derives the edge-case fixtures from real_execve_forms.log.

real_execve_forms.log is an unedited excerpt of this project's own audit
log (auditd 3.0.9, log_format=ENRICHED, Debian 12, kernel 6.18) captured
while running the commands listed in README.md. Every other .log here is
made from it by this script, so each file tests one property. Rerun it
after changing the source excerpt: python3 derive.py
"""
import gzip, os, re

src = open("real_execve_forms.log", encoding="latin-1").read().rstrip("\n").split("\n")  # not splitlines(): it splits at \x1d too
def write(name, lines, gz=False):
    data = ("\n".join(lines) + "\n").encode("latin-1")
    if gz:
        # mtime=0 keeps the file byte-identical across runs
        with open(name, "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
                g.write(data)
    else:
        open(name, "wb").write(data)

def serial(l):
    m = re.search(r"audit\(\d+\.\d+:(\d+)\)", l)
    return int(m.group(1)) if m else None

# raw log_format: the interpreted part after \x1d removed
write("raw_format.log", [l.split("\x1d")[0] for l in src])

# two hosts aggregated by audisp-remote: same serials, different node=
out = []
for l in src:
    out += ["node=web1 " + l, "node=web2 " + l]
write("node_serial_reuse.log", out)

# syslog-forwarded (RFC 3164 and RFC 3339 headers) through audisp-syslog
out = []
for i, l in enumerate(src):
    if i % 2:
        out.append("Nov 25 20:16:08 web1 audisp-syslog: " + l)
    else:
        out.append("2026-11-25T20:16:08.123456+00:00 web1 audispd: node=web1 " + l)
write("syslog_forwarded.log", out)

# records of two events interleaved, and one event written in reverse
a = [l for l in src if serial(l) == 3000]
b = [l for l in src if serial(l) == 3001]
c = [l for l in src if serial(l) == 3002]
rest = [l for l in src if serial(l) not in (3000, 3001, 3002)]
mixed = []
for i in range(max(len(a), len(b))):
    if i < len(a): mixed.append(a[i])
    if i < len(b): mixed.append(b[i])
write("out_of_order.log", mixed + list(reversed(c)) + rest)

# damage: every kind of bad line between real ones
bad = [
    src[0][:40],                                   # truncated inside the header
    "\x00\x01\x02\xff\xfe binary junk \x1b[2J",     # binary junk and an escape
    "type=EXECVE msg=audit(1795641375.970:3100): argc=2 a0=\"ls\" a1=ABC",  # odd-length hex
    "type=FUTURE_RECORD msg=audit(1795641375.970:3101): foo=bar",          # unknown type
    "type=SYSCALL msg=audit(17956413x5.970:3102): arch=c000003e",          # bad timestamp
    "",
    "type=SYSCALL msg=audit(1795641375.970:3103",                         # no closing paren
]
write("damaged.log", src[:7] + bad + src[7:14])

# a rotated set whose names sort the wrong way round: audit.log.1 is the
# older half, audit.log the newer, and they overlap by one event (a copy
# taken while auditd wrote). audit.log.2.gz is older still.
events = []
for l in src:
    s = serial(l)
    if not events or events[-1][0] != s:
        events.append((s, []))
    events[-1][1].append(l)
flat = lambda evs: [l for _, ls in evs for l in ls]
os.makedirs("rotated", exist_ok=True)
write("rotated/audit.log.2.gz", flat(events[:2]), gz=True)
write("rotated/audit.log.1", flat(events[2:6]))
write("rotated/audit.log", flat(events[5:]))
