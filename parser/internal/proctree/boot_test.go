package proctree

import (
	"testing"
)

// with returns e changed by f, for one-off fields in event tables.
func with(e *Event, f func(*Event)) *Event { f(e); return e }

func uid(u uint32) func(*Event) {
	return func(e *Event) { e.UID, e.EUID = NewID(u), NewID(u) }
}

func serial(s uint64) func(*Event) { return func(e *Event) { e.Serial = s } }

func daemonStart(s int, auditd int) *Event {
	e := ev(s, KindDaemon, auditd, 0, "/usr/sbin/auditd")
	e.RecordType = "DAEMON_START"
	return e
}

const hour, day = 3600, 86400

// Identity rules: when a pid seen again is a new process (boot.go).
func TestTreeIdentity(t *testing.T) {
	tests := []struct {
		name  string
		evs   []*Event
		pid   int
		procs int // processes that had pid
		check func(t *testing.T, ps []*Process)
	}{
		{"re-parented to init as root is not the web shell", []*Event{
			with(ev(1, KindExec, 100, 50, "/bin/sh", "sh", "-c", "id"), uid(33)),
			with(ev(day, KindExec, 100, 1, "/usr/sbin/rootd", "rootd"), uid(0)),
			with(ev(day+1, KindExec, 101, 100, "/bin/cp", "cp", "a", "b"), uid(0)),
		}, 100, 2, func(t *testing.T, ps []*Process) {
			if ps[0].UID.N != 33 || ps[0].Reparented || ps[1].UID.N != 0 || ps[1].Parent == nil || ps[1].Parent.Key.PID != 1 {
				t.Errorf("old uid %v reparented %t, new uid %v parent %v", ps[0].UID, ps[0].Reparented, ps[1].UID, ps[1].Parent)
			}
			if len(ps[0].Children) != 0 || len(ps[1].Children) != 1 {
				t.Errorf("the root child is drawn under %d/%d children", len(ps[0].Children), len(ps[1].Children))
			}
		}},
		{"re-parented to init unprivileged stays the orphan", []*Event{
			with(ev(1, KindExec, 100, 50, "/bin/sh", "sh"), uid(33)),
			with(ev(day, KindConnect, 100, 1, "/bin/sh"), uid(33)),
		}, 100, 1, func(t *testing.T, ps []*Process) {
			if !ps[0].Reparented {
				t.Error("not marked re-parented")
			}
		}},
		{"a setuid image raises only the euid", []*Event{
			with(ev(1, KindExec, 100, 50, "/bin/sh", "sh"), uid(33)),
			with(ev(2, KindExec, 100, 50, "/usr/bin/sudo", "sudo", "id"), func(e *Event) { e.UID, e.EUID = NewID(33), NewID(0) }),
		}, 100, 1, nil},
		{"re-exec as root of an unprivileged process", []*Event{
			with(ev(1, KindExec, 100, 50, "/bin/sh", "sh"), uid(33)),
			with(ev(2, KindExec, 100, 50, "/bin/bash", "bash"), uid(0)),
		}, 100, 2, nil},
		{"re-exec of the same image and argv after silence", []*Event{
			ev(1, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"),
			ev(hour, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"),
		}, 100, 2, nil},
		{"re-exec after silence once the parent forked again", []*Event{
			ev(1, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"),
			ev(5, KindExec, 200, 50, "/bin/sh", "sh", "-c", "other"),
			ev(hour, KindExec, 100, 50, "/usr/bin/python3", "python3", "x.py"),
		}, 100, 2, nil},
		{"re-exec after silence with nothing against it", []*Event{
			ev(1, KindExec, 100, 50, "/bin/bash", "bash", "-i"),
			ev(hour, KindExec, 100, 50, "/usr/bin/python3", "python3", "-c", "pty"),
		}, 100, 1, nil},
		{"back in the parent's image after an exec", []*Event{
			ev(1, KindExec, 50, 10, "/usr/sbin/php-fpm", "php-fpm"),
			ev(2, KindExec, 100, 50, "/bin/sh", "sh", "-c", "id"),
			ev(60, KindConnect, 100, 50, "/usr/sbin/php-fpm"),
		}, 100, 2, nil},
		{"kernel serials start again: a reboot", []*Event{
			with(ev(1, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"), serial(90000)),
			with(ev(600, KindExec, 300, 1, "/usr/sbin/sshd", "sshd"), serial(12)),
			with(ev(601, KindConnect, 100, 50, "/bin/sh"), serial(13)),
		}, 100, 2, func(t *testing.T, ps []*Process) {
			if ps[1].Parent == ps[0].Parent {
				t.Error("a parent of the earlier boot was reused")
			}
		}},
		{"serials lower but time earlier: input order, not a reboot", []*Event{
			with(ev(600, KindExec, 100, 50, "/bin/sh", "sh"), serial(90000)),
			with(ev(1, KindConnect, 100, 50, "/bin/sh"), serial(12)),
		}, 100, 1, nil},
		{"auditd starts again with a pid not above the last: a reboot", []*Event{
			daemonStart(0, 513),
			ev(1, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"),
			daemonStart(120, 513),
			ev(121, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"),
		}, 100, 2, nil},
		{"auditd restarted with a higher pid: same boot", []*Event{
			daemonStart(0, 513),
			ev(1, KindExec, 100, 50, "/bin/sh", "sh", "-c", "job"),
			daemonStart(120, 9000),
			ev(121, KindConnect, 100, 50, "/bin/sh"),
		}, 100, 1, nil},
		{"SYSTEM_BOOT after auditd's start is the same boot", []*Event{
			ev(1, KindExec, 100, 50, "/bin/sh", "sh"),
			daemonStart(2*hour, 513),
			ev(2*hour+1, KindExec, 700, 1, "/usr/sbin/sshd", "sshd"),
			with(ev(2*hour+20, KindOther, 1, 0, "/usr/lib/systemd/systemd"), func(e *Event) { e.RecordType = "SYSTEM_BOOT" }),
			ev(2*hour+30, KindConnect, 700, 1, "/usr/sbin/sshd"),
		}, 700, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTree()
			for _, e := range tt.evs {
				tr.Observe(e)
			}
			ps := tr.ByPID("", tt.pid)
			if len(ps) != tt.procs {
				for _, p := range ps {
					t.Logf("%+v", *p)
				}
				t.Fatalf("pid %d: %d processes, want %d", tt.pid, len(ps), tt.procs)
			}
			if tt.check != nil {
				tt.check(t, ps)
			}
		})
	}
}

// A fork chain as deep as an attacker likes: built, walked and listed
// without recursion, every process reachable (no timing here: a unit test
// is no benchmark, and a loaded machine made it flaky).
func TestTreeDeepChain(t *testing.T) {
	const depth = 100_000
	tr := NewTree()
	for i := range depth {
		tr.Observe(ev(i/1000, KindExec, 1000+i, 999+i, "/bin/sh", "sh"))
	}
	top := tr.ByPID("", 1000)[0]
	if d := Descendants(top); len(d) != depth-1 {
		t.Errorf("descendants of the top: %d, want %d", len(d), depth-1)
	}
	deep := tr.ByPID("", 1000+depth-1)[0]
	anc, truncated := tr.Ancestors(deep)
	if len(anc) != MaxAncestry || !truncated {
		t.Errorf("ancestors %d truncated %t, want the bound %d and truncated", len(anc), truncated, MaxAncestry)
	}
	if r, n := tr.Root(deep); r.Key.PID != 999 || n != depth {
		t.Errorf("root pid %d at %d levels, want the placeholder 999 at %d", r.Key.PID, n, depth)
	}
}
