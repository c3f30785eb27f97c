package report

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestAncestorsSayInferred: an ancestor the logs never show — known only
// as a ppid, or guessed to be a daemon's background fork — is marked
// inferred with its reason in the JSON, and the text says "(inferred: …)";
// an observed one is not.
func TestAncestorsSayInferred(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	exec := func(sec, pid, ppid int, uid uint32, exe string, args ...string) *parser.Event {
		return &parser.Event{Kind: parser.KindExec, Time: at.Add(time.Duration(sec) * time.Second), PID: pid, PPID: ppid,
			UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe, Args: args, Success: true,
			Source: parser.FormatAuditd, Syscall: "execve"}
	}
	tr := parser.NewTree()
	// php-fpm --daemonize: the launcher (100) forks the master (105, never
	// logged), whose worker (110) is seen; pid 700 is seen only as a ppid
	evs := []*parser.Event{
		exec(0, 100, 1, 0, "/usr/sbin/php-fpm8.2", "php-fpm8.2", "--daemonize"),
		// the worker acts (accepts) with the master's image: no exec of its own
		{Kind: parser.KindAccept, Time: at.Add(time.Second), PID: 110, PPID: 105, UID: parser.NewID(33), EUID: parser.NewID(33),
			Exe: "/usr/sbin/php-fpm8.2", Success: true, Source: parser.FormatAuditd, Syscall: "accept4"},
		exec(2, 120, 110, 33, "/usr/bin/dash", "sh", "-c", "id"),
		exec(3, 800, 700, 0, "/usr/bin/dash", "sh", "-c", "true"),
	}
	for _, ev := range evs {
		tr.Observe(ev)
	}
	b := &builder{c: &Case{Tree: tr}, opts: goldenOptions(), ids: map[*detect.Finding]int{}, chainOf: map[*detect.Finding]string{}}
	sh := tr.ByPID("", 120)[0]
	dp := b.process(&detect.Finding{RuleID: "r", Time: evs[2].Time, Event: evs[2], Process: sh})
	if dp.Inferred {
		t.Errorf("the acting process is observed: %+v", dp)
	}
	byPID := map[int]DocAncestor{}
	for _, a := range dp.Ancestors {
		byPID[a.PID] = a
	}
	if a := byPID[110]; a.Inferred {
		t.Errorf("worker 110 is observed, marked inferred: %q", a.Reason)
	}
	if a := byPID[105]; !a.Inferred || !strings.Contains(a.Reason, "php-fpm8.2[100]") {
		t.Errorf("master 105 (guessed daemon fork): inferred %v reason %q, want inferred, naming the launcher", a.Inferred, a.Reason)
	}
	if a := byPID[100]; a.Inferred {
		t.Errorf("launcher 100 is observed, marked inferred: %q", a.Reason)
	}
	if !strings.Contains(ancestorLabel(byPID[105]), "(inferred: ") {
		t.Errorf("text label of the guessed master: %q", ancestorLabel(byPID[105]))
	}
	other := tr.ByPID("", 800)[0]
	dp = b.process(&detect.Finding{RuleID: "r", Time: evs[3].Time, Event: evs[3], Process: other})
	if len(dp.Ancestors) == 0 || !dp.Ancestors[0].Inferred || dp.Ancestors[0].Reason == "" {
		t.Errorf("pid 700, seen only as a ppid: %+v", dp.Ancestors)
	}
}

// TestIOCInferred: an indicator found only in a record tied to a finding
// (the connect beside an exec) says so; one in a finding's own record is
// observed.
func TestIOCInferred(t *testing.T) {
	d := NewDocument(attackCase(fixtureOptions{}), Options{})
	var tied, own int
	for _, ioc := range d.IOCs {
		if ioc.Inferred {
			tied++
			if !strings.Contains(ioc.Reason, " record tied to F") {
				t.Errorf("%s %s: reason %q", ioc.Type, ioc.Value, ioc.Reason)
			}
		} else {
			own++
		}
	}
	if own == 0 {
		t.Errorf("no observed IOC in the fixture")
	}
	t.Logf("%d observed, %d inferred", own, tied)
}

// TestOrphanSaysInferred: a background fork whose records name init as its
// parent, hung by the tree under the program it was forked from, is shown
// with its inferred parent and why; the launcher itself is observed.
func TestOrphanSaysInferred(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	tr := parser.NewTree()
	evs := []*parser.Event{
		{Kind: parser.KindExec, Time: at, PID: 14511, PPID: 14510, UID: parser.NewID(33), EUID: parser.NewID(0),
			Exe: "/usr/bin/perl", Args: []string{"perl", "/dev/shm/.p"}, Success: true, Source: parser.FormatAuditd, Syscall: "execve"},
		{Kind: parser.KindConnect, Time: at.Add(96 * time.Millisecond), PID: 14512, PPID: 1, UID: parser.NewID(0), EUID: parser.NewID(0),
			Exe: "/usr/bin/perl", Source: parser.FormatAuditd, Syscall: "connect"},
		{Kind: parser.KindExec, Time: at.Add(time.Second), PID: 14520, PPID: 14512, UID: parser.NewID(0), EUID: parser.NewID(0),
			Exe: "/usr/bin/dash", Args: []string{"sh", "-c", "id"}, Success: true, Source: parser.FormatAuditd, Syscall: "execve"},
	}
	for _, ev := range evs {
		tr.Observe(ev)
	}
	b := &builder{c: &Case{Tree: tr}, opts: goldenOptions(), ids: map[*detect.Finding]int{}, chainOf: map[*detect.Finding]string{}}
	dp := b.process(&detect.Finding{RuleID: "r", Time: evs[2].Time, Event: evs[2], Process: tr.ByPID("", 14520)[0]})
	byPID := map[int]DocAncestor{}
	for _, a := range dp.Ancestors {
		byPID[a.PID] = a
	}
	if a := byPID[14512]; !a.Inferred || !strings.Contains(a.Reason, "background fork of perl[14511]") || !strings.Contains(a.Reason, "init") {
		t.Errorf("orphan 14512: inferred %v reason %q, want inferred, naming init and the launcher", a.Inferred, a.Reason)
	}
	if a, ok := byPID[14511]; !ok || a.Inferred {
		t.Errorf("launcher 14511: %+v, want an observed ancestor", a)
	}
}
