#!/usr/bin/env python3
"""Lab tooling: cut captured logs to a scenario window, query the audit log,
and write ground-truth.json from a scenario's step spec + recorded step times.

Runs with the system python3 (standard library only).

  gt.py cut-audit  --out FILE --start S --end E  LOG...   records with audit(ts) in [S, E]
  gt.py cut-http   --out FILE --start S --end E  LOG...   access/error/gunicorn/json-file lines in [S, E]
  gt.py query      LOG 'JSON-QUERY' [--start S --end E]   print matching events (debugging)
  gt.py build      --log audit.log --spec spec.json --times steps.tsv --meta meta.json --out ground-truth.json
                   [--requests requests.tsv]   (+ every web-triggered exec linked to its request)

The query language is the one of evidence_query in ground-truth.json: every
given key must match an event (all records that share one audit serial):
  type         a record type the event must contain (EXECVE, PATH, SOCKADDR, ...)
  syscall      syscall name ("accept" also matches accept4)
  argv_re      regex searched in the EXECVE argv joined with spaces
  exe_re, parent_exe_re, comm_re   regexes on exe, the parent's exe, comm
  prev_exe_re  regex on the exe the same pid had before (exec without fork, e.g. nc -e)
  uid, euid, auid, pid             exact values (strings)
  key          the audit key
  success      "yes" or "no"
  sockaddr     "ip:port" of the SOCKADDR record; sockaddr_ip just the address
  path_re      regex on any PATH name; with nametype, that same PATH's nametype
  cwd_re       regex on the CWD record
A parent's exe is the exe of the newest record of the parent pid at or before
the event, else of its first record after it (audit has no fork records).
"""
import argparse
import signal
import bisect
import gzip
import json
import re
import sys
from datetime import datetime, timezone

HDR = re.compile(r'^(?:node=\S+ )?type=(\w+) msg=audit\((\d+)\.(\d+):(\d+)\): ?(.*)$')
FIELD = re.compile(r'(\w+(?:\[\d+\])?)=("(?:[^"]*)"|\S+)')
STAGE_NAMES = {
    0: "benign", 1: "initial access via web exploit", 2: "web shell upload",
    3: "command execution via web shell", 4: "suspicious process spawn",
    5: "persistence", 6: "lateral movement", 7: "command and control",
    8: "exfiltration or damage",
}
STAGE_IDS = {
    0: "benign", 1: "initial-access", 2: "webshell-upload", 3: "command-execution",
    4: "suspicious-process-spawn", 5: "persistence", 6: "lateral-movement",
    7: "command-and-control", 8: "exfiltration-impact",
}
X86_64 = {0: "read", 2: "open", 42: "connect", 43: "accept", 44: "sendto", 49: "bind",
          59: "execve", 82: "rename", 87: "unlink", 257: "openat", 263: "unlinkat",
          264: "renameat", 288: "accept4", 316: "renameat2", 322: "execveat"}


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % int(round((t % 1) * 1000) % 1000)


def iso_ms(t):
    d = datetime.fromtimestamp(t, timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def opener(path):
    return gzip.open(path, "rt", errors="surrogateescape") if path.endswith(".gz") else open(path, errors="surrogateescape")


def unhex(v):
    """audit writes a value quoted when it is plain, else as hex."""
    if v.startswith('"') and v.endswith('"'):
        return v[1:-1]
    if v == "(null)":
        return None
    try:
        return bytes.fromhex(v).decode("utf-8", "replace")
    except ValueError:
        return v


def parse_fields(body):
    raw, _, enriched = body.partition("\x1d")
    return dict(FIELD.findall(raw)), enriched


def decode_saddr(h):
    try:
        b = bytes.fromhex(h)
    except ValueError:
        return None
    if len(b) >= 8 and b[0] == 2 and b[1] == 0:
        return "%d.%d.%d.%d:%d" % (b[4], b[5], b[6], b[7], (b[2] << 8) | b[3])
    if len(b) >= 24 and b[0] == 10 and b[1] == 0:
        import ipaddress
        return "[%s]:%d" % (ipaddress.IPv6Address(b[8:24]), (b[2] << 8) | b[3])
    if len(b) >= 2 and b[0] == 1 and b[1] == 0:
        return "unix:" + b[2:].split(b"\0", 1)[0].decode("utf-8", "replace")
    return None


class Event:
    __slots__ = ("ts", "serial", "types", "f", "argv", "paths", "sockaddr", "cwd", "proctitle", "syscall", "enriched")

    def __init__(self, ts, serial):
        self.ts, self.serial = ts, serial
        self.types, self.f, self.argv, self.paths = [], {}, None, []
        self.sockaddr = self.cwd = self.proctitle = self.syscall = None
        self.enriched = {}

    def add(self, typ, body):
        self.types.append(typ)
        f, enr = parse_fields(body)
        if typ == "SYSCALL":
            self.f = f
            m = re.search(r"SYSCALL=(\w+)", enr)
            self.syscall = m.group(1) if m else X86_64.get(int(f.get("syscall", "-1")), f.get("syscall"))
            self.enriched = dict(FIELD.findall(enr))
        elif typ == "EXECVE":
            argc = int(f.get("argc", "0"))
            argv = []
            for i in range(argc):
                k = "a%d" % i
                if k in f:
                    argv.append(unhex(f[k]) or "")
                else:  # long argument split into a%d[0], a%d[1], ...
                    parts, j = [], 0
                    while "%s[%d]" % (k, j) in f:
                        parts.append(unhex(f["%s[%d]" % (k, j)]) or "")
                        j += 1
                    argv.append("".join(parts))
            self.argv = (self.argv or []) + argv
        elif typ == "PATH":
            self.paths.append((unhex(f.get("name", "(null)")) or "(null)", f.get("nametype", "")))
        elif typ == "SOCKADDR":
            self.sockaddr = decode_saddr(f.get("saddr", ""))
        elif typ == "CWD":
            self.cwd = unhex(f.get("cwd", '""'))
        elif typ == "PROCTITLE":
            v = f.get("proctitle", '""')
            self.proctitle = v[1:-1] if v.startswith('"') else bytes.fromhex(v).replace(b"\0", b" ").decode("utf-8", "replace")
        elif not self.f:
            self.f = f

    def get(self, k):
        v = self.f.get(k)
        if v is not None and v.startswith('"') and v.endswith('"'):
            v = v[1:-1]
        return v

    @property
    def key(self):
        k = self.get("key")
        return None if k in (None, "(null)") else unhex(self.f.get("key"))


def read_events(path):
    events, by_serial = [], {}
    with opener(path) as fh:
        for line in fh:
            m = HDR.match(line.rstrip("\n"))
            if not m:
                continue
            typ, sec, frac, serial, body = m.groups()
            ts = float(sec + "." + frac)
            k = (ts, int(serial))
            ev = by_serial.get(k)
            if ev is None:
                ev = by_serial[k] = Event(ts, int(serial))
                events.append(ev)
            ev.add(typ, body)
    events.sort(key=lambda e: (e.ts, e.serial))
    return events


class Index:
    def __init__(self, events):
        self.events = events
        self.pid_exe = {}  # pid -> ([ts...], [exe...])
        for e in events:
            pid, exe = e.get("pid"), e.get("exe")
            if pid and exe and "SYSCALL" in e.types:
                ts_l, ex_l = self.pid_exe.setdefault(pid, ([], []))
                ts_l.append((e.ts, e.serial))
                ex_l.append(exe)

    def prev_exe(self, e):
        """exe of the same pid just before this event (what exec'd into it)"""
        pid = e.get("pid")
        if not pid or pid not in self.pid_exe:
            return "?"
        ts_l, ex_l = self.pid_exe[pid]
        i = bisect.bisect_left(ts_l, (e.ts, e.serial)) - 1
        return ex_l[i] if i >= 0 else "?"

    def parent_exe(self, e):
        ppid = e.get("ppid")
        if not ppid or ppid not in self.pid_exe:
            return "?"
        ts_l, ex_l = self.pid_exe[ppid]
        i = bisect.bisect_right(ts_l, (e.ts, e.serial)) - 1
        return ex_l[i] if i >= 0 else ex_l[0]


def match(ix, e, q):
    if "type" in q and q["type"] not in e.types:
        return False
    if "syscall" in q:
        want = q["syscall"]
        if e.syscall != want and not (want == "accept" and e.syscall == "accept4"):
            return False
    if "argv_re" in q and (e.argv is None or not re.search(q["argv_re"], " ".join(e.argv))):
        return False
    for fld in ("uid", "euid", "auid", "pid", "ppid"):
        if fld in q and e.get(fld) != str(q[fld]):
            return False
    if "success" in q and e.get("success") != q["success"]:
        return False
    if "key" in q and e.key != q["key"]:
        return False
    if "exe_re" in q and not re.search(q["exe_re"], e.get("exe") or ""):
        return False
    if "comm_re" in q and not re.search(q["comm_re"], e.get("comm") or ""):
        return False
    if "parent_exe_re" in q and not re.search(q["parent_exe_re"], ix.parent_exe(e)):
        return False
    if "prev_exe_re" in q and not re.search(q["prev_exe_re"], ix.prev_exe(e)):
        return False
    if "sockaddr" in q and e.sockaddr != q["sockaddr"]:
        return False
    if "sockaddr_ip" in q and (not e.sockaddr or e.sockaddr.rsplit(":", 1)[0] != q["sockaddr_ip"]):
        return False
    if "cwd_re" in q and not re.search(q["cwd_re"], e.cwd or ""):
        return False
    if "path_re" in q:
        ok = any(re.search(q["path_re"], n) and ("nametype" not in q or t == q["nametype"]) for n, t in e.paths)
        if not ok:
            return False
    elif "nametype" in q and not any(t == q["nametype"] for _, t in e.paths):
        return False
    return True


def summary(ix, e):
    parts = []
    kind = e.syscall or (e.types[0].lower() if e.types else "?")
    parts.append(kind)
    for fld in ("pid", "ppid", "uid", "auid"):
        if e.get(fld) is not None:
            parts.append("%s=%s" % (fld, e.get(fld)))
    if e.get("exe"):
        parts.append("exe=%s" % e.get("exe"))
    if e.get("ppid"):
        parts.append("parent_exe=%s" % ix.parent_exe(e))
    if e.argv is not None:
        parts.append("argv=%s" % json.dumps(" ".join(e.argv)))
    if e.sockaddr:
        parts.append("sockaddr=%s" % e.sockaddr)
    if e.paths:
        parts.append("paths=" + ",".join("%s(%s)" % (n, t) for n, t in e.paths))
    if e.get("success"):
        parts.append("success=%s exit=%s" % (e.get("success"), e.get("exit")))
    if "SYSCALL" in e.types:
        parts.append("key=%s" % (e.key or "(null)"))
    elif not e.get("exe"):
        parts.append("record=%s" % ",".join(e.types))
    return " ".join(parts)


def find(ix, q, start=None, end=None):
    out = []
    for e in ix.events:
        if start is not None and e.ts < start:
            continue
        if end is not None and e.ts > end:
            break
        if match(ix, e, q):
            out.append(e)
    return out


# ----------------------------------------------------------------- cutting

def cmd_cut_audit(a):
    keep = []
    for p in a.logs:
        with opener(p) as fh:
            for line in fh:
                m = HDR.match(line.rstrip("\n"))
                if not m:
                    continue
                ts = float(m.group(2) + "." + m.group(3))
                if a.start <= ts <= a.end:
                    keep.append(((ts, int(m.group(4))), line if line.endswith("\n") else line + "\n"))
    keep.sort(key=lambda x: x[0])  # stable: records of one event keep their order
    with open(a.out, "w", errors="surrogateescape") as fh:
        fh.writelines(l for _, l in keep)
    print("%s: %d records" % (a.out, len(keep)), file=sys.stderr)


MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
T_CLF = re.compile(r'\[(\d\d)/(\w\w\w)/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\]')
T_NGX_ERR = re.compile(r'^(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d) ')
T_GUNI = re.compile(r'^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) ([+-]\d{4})\]')
T_FPM = re.compile(r'^\[(\d\d)-(\w\w\w)-(\d{4}) (\d\d):(\d\d):(\d\d)\]')
T_LTPD = re.compile(r'^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d): \(')
T_JULI = re.compile(r'^(\d\d)-(\w\w\w)-(\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3}) ')
T_JSON = re.compile(r'"time":"([^"]+)"')
T_ISO = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)')


T_TS = re.compile(r'^\{"level":"\w+","ts":(\d{9,11}(?:\.\d+)?),')


def line_time(line):
    m = T_CLF.search(line)
    if m:
        d, mon, y, H, M, S, tz = m.groups()
        off = (int(tz[1:3]) * 3600 + int(tz[3:5]) * 60) * (1 if tz[0] == "+" else -1)
        return datetime(int(y), MONTHS[mon], int(d), int(H), int(M), int(S), tzinfo=timezone.utc).timestamp() - off
    m = T_NGX_ERR.match(line)
    if m:  # nginx error log is in local time; this lab machine runs in UTC
        return datetime(*map(int, m.groups()), tzinfo=timezone.utc).timestamp()
    m = T_GUNI.match(line)
    if m:
        g = m.groups()
        off = (int(g[6][1:3]) * 3600 + int(g[6][3:5]) * 60) * (1 if g[6][0] == "+" else -1)
        return datetime(*map(int, g[:6]), tzinfo=timezone.utc).timestamp() - off
    m = T_FPM.match(line)
    if m:  # php-fpm log, local time (UTC here)
        d, mon, y, H, M, S = m.groups()
        return datetime(int(y), MONTHS[mon], int(d), int(H), int(M), int(S), tzinfo=timezone.utc).timestamp()
    m = T_LTPD.match(line)
    if m:  # lighttpd error log, local time (UTC here)
        return datetime(*map(int, m.groups()), tzinfo=timezone.utc).timestamp()
    m = T_JULI.match(line)
    if m:  # Tomcat's JULI log (catalina.DATE.log), local time (UTC here), ms
        d, mon, y, H, M, S, ms = m.groups()
        return datetime(int(y), MONTHS[mon], int(d), int(H), int(M), int(S), tzinfo=timezone.utc).timestamp() + int(ms) / 1000
    m = T_JSON.search(line) or T_ISO.match(line)
    if m:
        s = m.group(1) if m.re is T_JSON else m.group(1) + m.group(2)
        s = s.replace("Z", "+00:00")
        if "." in s:  # Python 3.11 accepts at most 6 fraction digits
            head, frac = s.split(".", 1)
            digits = re.match(r"\d+", frac).group(0)
            s = head + "." + digits[:6] + frac[len(digits):]
        return datetime.fromisoformat(s).timestamp()
    m = T_TS.match(line)
    if m:  # Caddy's JSON log: "ts" is epoch seconds (the end of the request)
        return float(m.group(1))
    return None


def cmd_cut_http(a):
    keep = []
    for p in a.logs:
        try:
            fh = opener(p)
        except FileNotFoundError:
            continue
        with fh:
            last = None
            for line in fh:
                t = line_time(line)
                if t is None:
                    t = last  # continuation lines (tracebacks) follow their header
                last = t
                if t is not None and a.start - 1 <= t <= a.end + 1:
                    keep.append((t, len(keep), line))
    keep.sort()
    with open(a.out, "w", errors="surrogateescape") as fh:
        fh.writelines(l for _, _, l in keep)
    print("%s: %d lines" % (a.out, len(keep)), file=sys.stderr)


# ----------------------------------------------------------------- ground truth

def load_times(path):
    times = {}
    with open(path) as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                sid, what, t = parts[0], parts[1], float(parts[2])
                d = times.setdefault(sid, {})
                if what == "start":
                    d["start"] = min(d.get("start", t), t)
                else:
                    d["end"] = max(d.get("end", t), t)
    return times


# ----------------------------------------------------------------- requests -> web-triggered execs

def load_requests(path):
    """requests.tsv of the lab driver: one line per HTTP request it sent,
    id, step, method, url, start, end (its own $EPOCHREALTIME before the
    client started and after it exited), status, user agent, body."""
    from urllib.parse import urlsplit, parse_qsl
    out = []
    with open(path) as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) < 7:
                continue
            u = urlsplit(p[3])
            r = {"id": p[0], "step": p[1], "method": p[2], "url": p[3],
                 "path": u.path + ("?" + u.query if u.query else ""),
                 "start": float(p[4]), "end": float(p[5]), "status": p[6],
                 "user_agent": p[7] if len(p) > 7 else "", "body": p[8] if len(p) > 8 else ""}
            vals = [v for _, v in parse_qsl(u.query, keep_blank_values=True)]
            r["_args"] = dict(parse_qsl(u.query, keep_blank_values=True))
            if r["body"]:
                try:
                    def flat(x):
                        if isinstance(x, dict):
                            for v in x.values():
                                yield from flat(v)
                        elif isinstance(x, list):
                            for v in x:
                                yield from flat(v)
                        elif x is not None:
                            yield str(x)
                    doc = json.loads(r["body"])
                    if isinstance(doc, dict):
                        r["_args"].update(doc)
                    vals += list(flat(doc))
                except ValueError:
                    vals += [v for _, v in parse_qsl(r["body"], keep_blank_values=True)]
            r["_params"] = [v for v in vals if len(v) >= 3]
            out.append(r)
    out.sort(key=lambda r: r["start"])
    return out


def fill(template, q, defaults):
    """A route's command line filled in with a request's parameters: {name}
    is the parameter's value (or the route's default), {name*} an array
    parameter joined with spaces."""
    params = dict(defaults)
    params.update(q.get("_args", {}))

    def one(m):
        k, star = m.group(1), m.group(2)
        v = params.get(k, "")
        if star:
            return " ".join(str(x) for x in v) if isinstance(v, list) else str(v)
        return str(v)
    return re.sub(r"\{(\w+)(\*?)\}", one, template).strip()


def link_web_execs(ix, requests, servers, routes, steps_by_id):
    """Every exec whose ancestry reaches a web/app server pid, linked to the
    request that caused it. The direct child of the server is decided first:
    candidates are the driver's requests in flight at the exec's time
    ([start, end] of the client) to a route whose handler runs a command like
    it (spec web_routes); a request parameter found in the argv decides
    between several. Deeper descendants inherit their ancestor's request."""
    server_pid = {}
    for s in servers:
        for pid in s.get("pids", []):
            server_pid[str(pid)] = s["name"]
    ppids = {}  # pid -> [(ts, serial, ppid)]
    for e in ix.events:
        if e.get("pid") and e.get("ppid") and "SYSCALL" in e.types:
            ppids.setdefault(e.get("pid"), []).append(((e.ts, e.serial), e.get("ppid")))

    def parent_at(pid, key):
        lst = ppids.get(pid)
        if not lst:
            return None
        i = bisect.bisect_right([k for k, _ in lst], key) - 1
        return lst[i][1] if i >= 0 else lst[0][1]

    first_exec = {}  # pid -> serial of the exec that made the direct child
    spawn_helper = {}  # pid -> record of java's jspawnhelper exec in that direct child
    out, problems = [], []
    for e in ix.events:
        if "EXECVE" not in e.types or e.argv is None:
            continue
        chain, cur, key = [e.get("pid")], e.get("ppid"), (e.ts, e.serial)
        server = None
        for _ in range(32):
            if cur is None or cur in ("0", "1"):
                break
            if cur in server_pid:
                server = server_pid[cur]
                break
            chain.append(cur)
            cur = parent_at(cur, key)
        if server is None:
            continue
        top = chain[-1]  # the server's direct child
        argv = " ".join(e.argv)
        rec = {"serial": e.serial, "ts": e.ts, "ts_iso": iso_ms(e.ts), "pid": e.get("pid"), "ppid": e.get("ppid"),
               "uid": e.get("uid"), "exe": e.get("exe"), "argv": argv, "server": server, "depth": len(chain)}
        if top == e.get("pid") and e.get("ppid") == cur and top not in first_exec \
                and (e.get("exe") or "").endswith("/jspawnhelper"):
            # Java (JDK 17, POSIX_SPAWN) starts every child through its spawn
            # helper, which execs the command in the same pid: the helper's
            # exec takes the request of the command that follows it
            rec["link"], rec["request"], rec["candidates"] = "java's spawn helper: the request of the command it execs next in the same pid", None, []
            spawn_helper[top] = rec
            out.append(rec)
            continue
        if top == e.get("pid") and e.get("ppid") == cur and top not in first_exec:
            first_exec[top] = e.serial
            if top in spawn_helper:
                spawn_helper[top]["via_serial"] = e.serial
            by_tmpl, by_route = [], []
            for q in requests:
                if not (q["start"] <= e.ts <= q["end"]):
                    continue
                for r in routes:
                    if r.get("server", server) != server or q["method"] != r.get("method", q["method"]) \
                            or not re.search(r["path_re"], q["path"]):
                        continue
                    if "argv_template" in r and fill(r["argv_template"], q, r.get("defaults", {})) == argv:
                        by_tmpl.append(q)
                    elif "argv_template" not in r and re.search(r["argv_re"], argv):
                        by_route.append(q)
            cands = by_tmpl or by_route
            if len(by_tmpl) == 1:
                req, how = by_tmpl[0], "the argv is the route's command filled in with this request's parameters; the only such request in flight (driver's client start..end)"
            elif len(by_tmpl) == 0 and len(by_route) == 1:
                req, how = by_route[0], "the only request in flight (driver's client start..end) to a route whose handler runs this command"
            else:
                req, how = None, ("ambiguous: %d candidates" % len(cands)) if cands else "no request in flight"
                problems.append("web exec serial %d (%s): %s" % (e.serial, argv[:60], how))
            rec["link"] = how
            rec["candidates"] = [q["id"] for q in cands]
            rec["request"] = req and {k: req[k] for k in ("id", "step", "method", "path", "start", "end", "status", "user_agent")}
            rec["_req"] = req
        else:
            root = first_exec.get(top)
            parent = next((x for x in out if x["serial"] == root), None)
            if parent is None:
                rec["link"], rec["request"], rec["candidates"] = "descendant of a server child whose exec is not in the log", None, []
                problems.append("web exec serial %d (%s): no root exec" % (e.serial, argv[:60]))
            else:
                rec["link"] = "descendant of web exec serial %d" % root
                rec["via_serial"] = root
                rec["request"], rec["candidates"], rec["_req"] = parent["request"], parent["candidates"], parent.get("_req")
        req = rec.get("_req")
        if req:
            st = steps_by_id.get(req["step"])
            rec["step"] = req["step"]
            rec["stage"] = st["stage"] if st else None
        out.append(rec)
    # A CGI server's direct child carries no request parameter in its argv
    # (lighttpd mod_cgi: php-cgi <script>; the query is in its environment):
    # an ambiguous child is decided by its descendants, when a parameter of
    # exactly one candidate (the longest one found, so "2026-11" does not
    # beat "2026-11\nid") appears in their argv.
    by_id = {q["id"]: q for q in requests}
    for rec in out:
        if rec.get("request") is not None or not rec["link"].startswith("ambiguous"):
            continue
        desc = [x for x in out if x.get("via_serial") == rec["serial"]]
        text = "\n".join(x["argv"] for x in desc)
        best = {}
        for cid in rec["candidates"]:
            found = [len(v) for v in by_id[cid]["_params"] if v in text]
            if found:
                best[cid] = max(found)
        if not best:
            continue
        top = max(best.values())
        winners = [c for c, n in best.items() if n == top]
        if len(winners) != 1:
            continue
        req = by_id[winners[0]]
        problems.remove(next(p for p in problems if p.startswith("web exec serial %d " % rec["serial"])))
        rec["link"] = ("ambiguous among %d requests in flight to the route; decided by this request's parameter found "
                       "in the argv of a descendant" % len(rec["candidates"]))
        rec["_req"] = req
        rec["request"] = {k: req[k] for k in ("id", "step", "method", "path", "start", "end", "status", "user_agent")}
        for x in [rec] + desc:
            x["request"], x["_req"] = rec["request"], req
            st = steps_by_id.get(req["step"])
            x["step"], x["stage"] = req["step"], (st["stage"] if st else None)
    by_serial = {x["serial"]: x for x in out}
    for h in spawn_helper.values():
        t = by_serial.get(h.get("via_serial"))
        if t is None:
            problems.append("web exec serial %d (java spawn helper): no command exec'd after it" % h["serial"])
            continue
        for k in ("request", "candidates", "_req", "step", "stage"):
            if k in t:
                h[k] = t[k]
    for r in out:
        r.pop("_req", None)
    caused = {}
    for r in out:
        if r.get("request"):
            caused.setdefault(r["request"]["id"], []).append(r["serial"])
    reqs = []
    for q in requests:
        st = steps_by_id.get(q["step"])
        reqs.append({"id": q["id"], "step": q["step"], "stage": st["stage"] if st else None,
                     "method": q["method"], "url": q["url"], "path": q["path"],
                     "start": q["start"], "end": q["end"], "start_iso": iso_ms(q["start"]), "end_iso": iso_ms(q["end"]),
                     "status": q["status"], "user_agent": q["user_agent"], "body": q["body"],
                     "caused_exec_serials": caused.get(q["id"], [])})
    return out, reqs, problems


def cmd_build(a):
    spec = json.load(open(a.spec))
    meta = json.load(open(a.meta))
    times = load_times(a.times)
    ix = Index(read_events(a.log))
    slack = spec.get("evidence_slack", 3.0)
    steps, problems = [], []
    for s in spec["steps"]:
        t = times.get(s["id"])
        if not t or "start" not in t or "end" not in t:
            problems.append("step %s: no recorded start/end (not run?)" % s["id"])
            continue
        step = {
            "stage": s["stage"], "stage_name": STAGE_NAMES[s["stage"]], "stage_id": STAGE_IDS[s["stage"]],
            "id": s["id"], "description": s["description"],
            "start": round(t["start"], 6), "end": round(t["end"], 6),
            "start_iso": iso_ms(t["start"]), "end_iso": iso_ms(t["end"]),
            "expected": s.get("expected", {}),
            "evidence_query": [{k: v for k, v in q.items() if k != "host_only"} for q in s.get("evidence_query", [])],
            "evidence": [],
        }
        if s["stage"] == 0:
            step["expected"].setdefault("benign", True)
        for q in s.get("evidence_query", []):
            qq = {k: v for k, v in q.items() if k not in ("what", "after", "before", "host_only")}
            # 'before': a blocking syscall (accept of a listener) is stamped
            # when it was entered, which may be well before the step began
            lo = t["start"] - slack - float(q.get("before", 0))
            hi = t["end"] + slack + float(q.get("after", 0))
            hits = find(ix, qq, lo, hi)
            step["evidence"].append({
                "what": q.get("what", ""), "query": qq, "hit_count": len(hits),
                "hits": [{"serial": e.serial, "ts": e.ts, "ts_iso": iso_ms(e.ts), "summary": summary(ix, e)} for e in hits[:5]],
            })
            if not hits:
                problems.append("step %s: no audit event for %r" % (s["id"], q.get("what")))
        steps.append(step)
    attack = [x for x in steps if x["stage"] != 0]
    web_execs, reqs = None, None
    if a.requests:
        web_execs, reqs, wp = link_web_execs(ix, load_requests(a.requests), meta.get("web_servers", []),
                                             spec.get("web_routes", []), {x["id"]: x for x in steps})
        problems += wp
    gt = {
        "scenario": spec["scenario"],
        "audit_log": "audit.log.gz" if a.gz else "audit.log",
        "audit_log_format": "ENRICHED",
        "window": {"start": meta["window_start"], "end": meta["window_end"],
                   "start_iso": iso_ms(meta["window_start"]), "end_iso": iso_ms(meta["window_end"])},
        "attack_part": ({"start": min(x["start"] for x in attack), "end": max(x["end"] for x in attack)} if attack else None),
        "environment": meta.get("environment", []),
        "other_logs": meta.get("other_logs", []),
        "notes": [
            "timestamps are epoch seconds from the scenario driver's clock (bash $EPOCHREALTIME; same host clock as auditd)",
            "stage 0 = benign activity (not part of the attack); stages 1-8 follow shared/DESIGN.md (stage ids in stage_id)",
            "processes of uid 2001 (labremote: visitors, admin ssh client, attacker tools, listeners and servers) are excluded by an audit never-rule",
            "evidence lists the first up-to-5 matching audit events per query within [start-%gs, end+%gs] (+ 'after' seconds, or 'before' seconds for a blocking syscall stamped at its entry, where a query says so)" % (slack, slack),
            "audit.log holds every record from the fresh auditd start (rule load included) up to window.end; other processes of the machine (builds, shells) are real noise left in",
        ] + spec.get("notes", []),
        "steps": steps,
        "verification_problems": problems,
    }
    if web_execs is not None:
        gt["web_servers"] = meta.get("web_servers", [])
        gt["web_routes"] = spec.get("web_routes", [])
        gt["requests"] = reqs
        gt["web_execs"] = web_execs
        gt["notes"].append("requests: every HTTP request the lab driver sent, with its client's wall-clock start/end ($EPOCHREALTIME "
                           "before curl started and after it exited: the server handled it inside that span), step, method, path, "
                           "status, user agent and body; web_execs: every exec whose ancestry reaches a web_servers pid, linked to "
                           "the request that caused it (link says how: the argv equals the route's command filled in with the request's "
                           "parameters (web_routes argv_template), or the only request in flight to a route whose handler runs such a "
                           "command (argv_re), or a descendant of an exec already linked; ambiguous when several requests fit)")
    with open(a.out, "w") as fh:
        json.dump(gt, fh, indent=2)
        fh.write("\n")
    for p in problems:
        print("WARNING: " + p, file=sys.stderr)
    # a readable digest for README.txt
    if a.digest:
        with open(a.digest, "w") as fh:
            for x in steps:
                fh.write("  [%d %s] %s  %s-%s\n" % (x["stage"], x["stage_id"], x["id"], x["start_iso"][11:23], x["end_iso"][11:23]))
                fh.write("      %s\n" % x["description"])
                for ev in x["evidence"]:
                    h = ev["hits"][0] if ev["hits"] else None
                    fh.write("      evidence: %-44s %s\n" % (ev["what"], ("serial %d @ %s (%d hits)" % (h["serial"], h["ts_iso"], ev["hit_count"])) if h else "NO HIT"))


def cmd_query(a):
    ix = Index(read_events(a.log))
    for e in find(ix, json.loads(a.query), a.start, a.end):
        print("%d %s %s" % (e.serial, iso_ms(e.ts), summary(ix, e)))


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cut-audit"); c.add_argument("--out", required=True); c.add_argument("--start", type=float, required=True); c.add_argument("--end", type=float, required=True); c.add_argument("logs", nargs="+")
    c = sub.add_parser("cut-http"); c.add_argument("--out", required=True); c.add_argument("--start", type=float, required=True); c.add_argument("--end", type=float, required=True); c.add_argument("logs", nargs="+")
    c = sub.add_parser("query"); c.add_argument("log"); c.add_argument("query"); c.add_argument("--start", type=float); c.add_argument("--end", type=float)
    c = sub.add_parser("build"); c.add_argument("--log", required=True); c.add_argument("--spec", required=True); c.add_argument("--times", required=True); c.add_argument("--meta", required=True); c.add_argument("--out", required=True); c.add_argument("--digest"); c.add_argument("--gz", action="store_true"); c.add_argument("--requests")
    a = p.parse_args()
    {"cut-audit": cmd_cut_audit, "cut-http": cmd_cut_http, "query": cmd_query, "build": cmd_build}[a.cmd](a)


if __name__ == "__main__":
    main()
