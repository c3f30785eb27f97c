package proctree

import (
	"testing"
	"time"
)

// TestDaemonParentGuess: a process whose parent was never seen may be hung
// under the launcher that daemonized it (same image, a few pids below,
// started just before). The guess is made only when it cannot invert
// privilege and the times fit; otherwise the parent stays unknown.
func TestDaemonParentGuess(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	exec := func(sec int, pid, ppid int, uid uint32, exe string) *Event {
		return &Event{Kind: KindExec, Time: at.Add(time.Duration(sec) * time.Second), PID: pid, PPID: ppid,
			UID: NewID(uid), EUID: NewID(uid), Exe: exe, Args: []string{exe}, Success: true, Source: FormatAuditd, Syscall: "execve"}
	}
	tests := []struct {
		name     string
		launcher *Event // seen first
		child    *Event // names an unseen parent a few pids above the launcher
		inferred bool
	}{
		{"root launcher of a www-data worker", exec(0, 100, 1, 0, "/usr/sbin/php-fpm"), exec(1, 110, 105, 33, "/usr/sbin/php-fpm"), true},
		{"root child under a www-data process", exec(0, 100, 1, 33, "/usr/bin/cat"), exec(1, 110, 105, 0, "/usr/bin/cat"), false},
		{"same unprivileged user", exec(0, 100, 1, 33, "/usr/bin/node"), exec(1, 110, 105, 33, "/usr/bin/node"), true},
		{"launcher seen an hour before", exec(0, 100, 1, 0, "/usr/sbin/php-fpm"), exec(3600, 110, 105, 33, "/usr/sbin/php-fpm"), false},
	}
	tests = append(tests, struct {
		name     string
		launcher *Event
		child    *Event
		inferred bool
	}{execdChild, exec(0, 100, 1, 0, "/usr/bin/rm"), exec(1, 110, 105, 0, "/usr/bin/rm"), false})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTree()
			tr.Observe(tc.launcher)
			if tc.name != execdChild {
				// the worker acts (accepts) as the master's image: no exec
				tc.child.Kind, tc.child.Syscall, tc.child.Args = KindConnect, "accept4", nil
			}
			tr.Observe(tc.child)
			c := tr.ByPID("", 110)[0]
			q := c.Parent
			if q == nil || q.Key.PID != 105 {
				t.Fatalf("parent of the child: %+v", q)
			}
			got := q.ParentInferred() && q.Parent != nil && q.Parent.Key.PID == 100
			if got != tc.inferred {
				t.Errorf("placeholder hung under the launcher: %v, want %v", got, tc.inferred)
			}
		})
	}
}

// execdChild is the case whose child's record is its own exec.
const execdChild = "an exec'd child names only what it runs"

// TestDaemonParentReexec: php-fpm's reload (USR2) re-execs the master in
// place, and the re-exec'd master daemonizes again from its old pid, far
// below the new master's. Between the two, a config test (php-fpm -t) a
// few pids below exec'd the same program earlier, and a process forked in
// the background by it (the shop-avatar implant: a module's constructor,
// exe php-fpm, never exec'd) sits closer still. The new master is hung
// under the latest exec of the program, the old master; neither the
// earlier config test nor the never-exec'd fork is taken.
func TestDaemonParentReexec(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	ms := func(n int) time.Time { return at.Add(time.Duration(n) * time.Millisecond) }
	const fpm = "/usr/sbin/php-fpm8.2"
	ev := func(kind Kind, t time.Time, pid, ppid int, uid uint32) *Event {
		e := &Event{Kind: kind, Time: t, PID: pid, PPID: ppid, UID: NewID(uid), EUID: NewID(uid), Exe: fpm, Success: true, Source: FormatAuditd}
		if kind == KindExec {
			e.Syscall, e.Args = "execve", []string{fpm}
		} else {
			e.Syscall = "connect"
		}
		return e
	}
	tr := NewTree()
	tr.Observe(ev(KindExec, ms(0), 26822, 1, 0))          // the master, long before
	tr.Observe(ev(KindExec, ms(60_000), 30446, 30445, 0)) // the config test
	tr.Observe(ev(KindConnect, ms(60_072), 30448, 1, 0))  // its background fork
	tr.Observe(ev(KindExec, ms(60_268), 26822, 1, 0))     // USR2: the master re-execs
	w := ev(KindConnect, ms(60_532), 30457, 30453, 33)    // a new worker accepts
	w.Syscall = "accept4"
	tr.Observe(w)
	q := tr.ByPID("", 30457)[0].Parent
	if q == nil || q.Key.PID != 30453 || !q.ParentInferred() {
		t.Fatalf("new master: %+v", q)
	}
	if got := q.Parent.Key.PID; got != 26822 {
		t.Errorf("new master hung under pid %d, want the re-exec'd master 26822", got)
	}
}

// TestOrphanLauncher: a program that puts itself in the background (perl's
// fork, setsid, the parent's exit) leaves a child whose first record
// already names init as its parent while it still runs the image it was
// forked with (shop-partnerfeed: a web shell's perl loader, root by a
// setuid shell, forks the implant that then execs from a memfd). Init
// never ran perl: the child is hung, inferred, under the latest process
// to exec that image just below it, and shows the image it inherited.
func TestOrphanLauncher(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	ms := func(n int) time.Time { return at.Add(time.Duration(n) * time.Millisecond) }
	const perl = "/usr/bin/perl"
	launcher := func(uid, euid uint32) *Event {
		return &Event{Kind: KindExec, Time: ms(0), PID: 14511, PPID: 14510, UID: NewID(uid), EUID: NewID(euid), Exe: perl,
			Args: []string{"perl", "/dev/shm/.p"}, Success: true, Source: FormatAuditd, Syscall: "execve"}
	}
	orphan := func(ppid int, exe string, args []string) *Event {
		return &Event{Kind: KindConnect, Time: ms(96), PID: 14512, PPID: ppid, UID: NewID(0), EUID: NewID(0), Exe: exe, Args: args,
			Success: false, Source: FormatAuditd, Syscall: "connect"}
	}
	initExec := &Event{Kind: KindExec, Time: ms(-5000), PID: 1, PPID: 0, UID: NewID(0), EUID: NewID(0), Exe: perl,
		Args: []string{"perl", "/sbin/init.pl"}, Success: true, Source: FormatAuditd, Syscall: "execve"}
	tests := []struct {
		name   string
		first  []*Event
		orphan *Event
		want   int // the orphan's parent pid in the tree
	}{
		{"an effective root's background fork", []*Event{launcher(33, 0)}, orphan(1, perl, nil), 14511},
		{"its own user's background fork", []*Event{launcher(0, 0)}, orphan(1, perl, nil), 14511},
		{"no privilege to start a root process", []*Event{launcher(33, 33)}, orphan(1, perl, nil), 1},
		{"another image", []*Event{launcher(33, 0)}, orphan(1, "/usr/bin/python3", nil), 1},
		{"its parent still alive", []*Event{launcher(33, 0)}, orphan(14511, perl, nil), 14511},
		{"a sensor's event names its own command line", []*Event{launcher(33, 0)}, orphan(1, perl, []string{"perl", "-e", "1"}), 1},
		{"init runs that image itself", []*Event{initExec, launcher(33, 0)}, orphan(1, perl, nil), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTree()
			for _, e := range tc.first {
				tr.Observe(e)
			}
			tr.Observe(tc.orphan)
			c := tr.ByPID("", 14512)[0]
			if c.Parent == nil || c.Parent.Key.PID != tc.want {
				t.Fatalf("parent: %+v, want pid %d", c.Parent, tc.want)
			}
			if c.PPID != tc.orphan.PPID {
				t.Errorf("PPID %d, want the record's %d", c.PPID, tc.orphan.PPID)
			}
			guessed := tc.want == 14511 && tc.orphan.PPID == 1
			if c.ParentInferred() != guessed {
				t.Errorf("parent inferred: %v, want %v", c.ParentInferred(), guessed)
			}
			if guessed && (len(c.Execs) != 1 || !c.Execs[0].Inherited || c.Execs[0].Args[1] != "/dev/shm/.p") {
				t.Errorf("first image: %+v, want perl /dev/shm/.p inherited from the launcher", c.Execs)
			}
		})
	}
}
