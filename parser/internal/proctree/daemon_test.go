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
