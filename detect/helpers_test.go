package detect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// synth builds events the way the parser does (Proc set by a Tree), for
// scenarios the lab capture does not contain.
type synth struct {
	tree   *parser.Tree
	t      time.Time
	serial uint64
}

func newSynth() *synth {
	return &synth{tree: parser.NewTree(), t: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC), serial: 1000}
}

func (s *synth) next(ev *parser.Event) *parser.Event {
	s.t = s.t.Add(time.Millisecond)
	s.serial++
	ev.Time, ev.Source, ev.Serial = s.t, "auditd", s.serial
	if ev.Evidence == nil {
		ev.Evidence = []parser.Evidence{{Serial: s.serial, Raw: fmt.Sprintf("type=SYSCALL msg=audit(%d.%03d:%d): syscall=%s success=yes pid=%d ppid=%d uid=%d exe=%q",
			s.t.Unix(), s.t.Nanosecond()/1e6, s.serial, ev.Syscall, ev.PID, ev.PPID, ev.UID.N, ev.Exe)}}
	}
	s.tree.Observe(ev)
	return ev
}

// exec is an execve by pid (child of ppid) as uid/user.
func (s *synth) exec(pid, ppid int, uid uint32, user, cwd, exe string, args ...string) *parser.Event {
	ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: pid, PPID: ppid,
		UID: parser.NewID(uid), EUID: parser.NewID(uid), AUID: parser.NewID(parser.Unset), User: user, Exe: exe, Args: args, Cwd: cwd}
	var raw strings.Builder
	fmt.Fprintf(&raw, "type=SYSCALL msg=audit(1.000:%d): syscall=59 success=yes pid=%d ppid=%d uid=%d exe=%q\ntype=EXECVE msg=audit(1.000:%d): argc=%d", s.serial+1, pid, ppid, uid, exe, s.serial+1, len(args))
	for i, a := range args {
		raw.WriteString(" a" + strconv.Itoa(i) + "=" + strconv.Quote(a))
	}
	ev.Evidence = []parser.Evidence{{Serial: s.serial + 1, Raw: raw.String()}}
	return s.next(ev)
}

// connect is a connect by pid to ip:port.
func (s *synth) connect(pid, ppid int, uid uint32, exe, ip string, port int) *parser.Event {
	return s.next(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: pid, PPID: ppid,
		UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe, Peer: parser.Addr{Family: "inet", IP: ip, Port: port}})
}

// file is a file event of kind k by pid on path.
func (s *synth) file(k parser.Kind, pid, ppid int, uid uint32, exe, path string, ok bool) *parser.Event {
	ev := &parser.Event{Kind: k, Syscall: "openat", Success: ok, PID: pid, PPID: ppid,
		UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe, Path: path}
	if !ok {
		ev.Exit = -13
	}
	return s.next(ev)
}

// raw is a record-only event (CONFIG_CHANGE, DAEMON_END …) as the parser
// makes it.
func (s *synth) raw(k parser.Kind, rtype, op, body string) *parser.Event {
	s.serial++
	ev := &parser.Event{Kind: k, RecordType: rtype, Op: op, Success: true,
		Evidence: []parser.Evidence{{Serial: s.serial + 1, Raw: "type=" + rtype + " msg=audit(1.000:" + strconv.FormatUint(s.serial+1, 10) + "): " + body}}}
	return s.next(ev)
}

// ids returns the rule ids of findings, every rule that matched each.
func ids(fs []*Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleIDs...) // every rule of each act, primary first
	}
	return out
}

func has(fs []*Finding, rule string) *Finding {
	for _, f := range fs {
		if f.RuleID == rule || slices.Contains(f.RuleIDs, rule) {
			return f
		}
	}
	return nil
}

// webShellScene is an engine and a php-fpm worker (pid 200) with a web
// shell under it (pid 201, sh -c), both as the web account www-data.
func webShellScene(t *testing.T) (*Engine, *synth) {
	t.Helper()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
	s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "x")
	return e, s
}

// findingOf returns the finding of fs that rule matched, or nil.
func findingOf(fs []*Finding, rule string) *Finding {
	for _, f := range fs {
		if slices.Contains(f.RuleIDs, rule) {
			return f
		}
	}
	return nil
}

// execAs runs one command in a fresh engine: as www-data (uid 33) under a
// php-fpm worker's shell, or as root (uid 0) in an admin's ssh login, and
// returns its findings.
func execAs(t *testing.T, uid uint32, cwd, exe string, args ...string) []*Finding {
	t.Helper()
	e, s := webShellScene(t)
	parent, user := 201, "www-data"
	if uid == 0 { // an admin's login session, not the web server's
		s.exec(300, 1, 0, "root", "/root", "/usr/sbin/sshd", "sshd: alice [priv]")
		parent, user = 300, "root"
	}
	return e.Observe(s.exec(202, parent, uid, user, cwd, exe, args...), s.tree)
}

// observeWrite feeds a successful write of p by pid, its PATH item CREATE
// when created (the file made) and NORMAL otherwise (an existing file
// opened for writing), and returns the findings.
func observeWrite(e *Engine, s *synth, pid, ppid int, uid uint32, exe, p string, created bool) []*Finding {
	w := s.file(parser.KindFileWrite, pid, ppid, uid, exe, p, true)
	nt := "NORMAL"
	if created {
		nt = "CREATE"
	}
	w.Paths = []parser.PathRecord{{Name: p, Nametype: nt}}
	return e.Observe(w, s.tree)
}
