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
