package proctree

import (
	"testing"
	"time"
)

// TestMasterImage: a pre-fork server's master (nginx, apache, php-fpm,
// uWSGI) started before the log makes no audited record of its own, so the
// tree knew it only as a parent pid with no name, and a shell it ran (the
// nginx master runs init_by_lua at a reload, as root) was judged as the
// child of nobody. Its workers are forks that never exec: they run the
// master's image. Two of them running the same image name the master's,
// inferred; one is not enough (a shell's one background job), an exec'd
// child says nothing of its parent's image, children of different images
// rule the guess out, and init is never renamed.
func TestMasterImage(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	act := func(sec, pid, ppid int, exe string) *Event {
		return &Event{Kind: KindConnect, Time: at.Add(time.Duration(sec) * time.Second), PID: pid, PPID: ppid,
			UID: NewID(33), EUID: NewID(33), Exe: exe, Success: true, Source: FormatAuditd, Syscall: "accept4"}
	}
	exec := func(sec, pid, ppid int, exe string) *Event {
		return &Event{Kind: KindExec, Time: at.Add(time.Duration(sec) * time.Second), PID: pid, PPID: ppid,
			UID: NewID(0), EUID: NewID(0), Exe: exe, Args: []string{exe}, Success: true, Source: FormatAuditd, Syscall: "execve"}
	}
	const nginx = "/usr/sbin/nginx"
	tests := []struct {
		name   string
		events []*Event
		want   string // the master's inferred image, "" for none
	}{
		{"two workers", []*Event{act(0, 101, 100, nginx), act(1, 102, 100, nginx)}, nginx},
		{"a worker replaced at a reload", []*Event{act(0, 101, 100, nginx), act(5, 140, 100, nginx), exec(6, 141, 100, "/usr/bin/dash")}, nginx},
		{"one worker", []*Event{act(0, 101, 100, nginx)}, ""},
		{"one worker twice", []*Event{act(0, 101, 100, nginx), act(1, 101, 100, nginx)}, ""},
		{"exec'd children", []*Event{exec(0, 101, 100, nginx), exec(1, 102, 100, nginx)}, ""},
		{"different images", []*Event{act(0, 101, 100, nginx), act(1, 102, 100, "/usr/bin/python3.11"), act(2, 103, 100, nginx)}, ""},
		{"init", []*Event{act(0, 101, 1, nginx), act(1, 102, 1, nginx)}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTree()
			for _, ev := range tc.events {
				tr.Observe(ev)
			}
			q := tr.ByPID("", tc.events[0].PPID)[0]
			got := ""
			if q.ImageInferred {
				got = q.Exe
			}
			if got != tc.want {
				t.Errorf("master's inferred image %q, want %q (Exe %q)", got, tc.want, q.Exe)
			}
			if tc.want == "" && q.Exe != "" {
				t.Errorf("master's image %q set without inference", q.Exe)
			}
		})
	}
	// the master's own record states its image: the guess gives way
	tr := NewTree()
	for _, ev := range []*Event{act(0, 101, 100, nginx), act(1, 102, 100, nginx), act(2, 100, 1, "/usr/sbin/apache2")} {
		tr.Observe(ev)
	}
	if q := tr.ByPID("", 100)[0]; q.ImageInferred || q.Exe != "/usr/sbin/apache2" {
		t.Errorf("after its own record: Exe %q inferred %v", q.Exe, q.ImageInferred)
	}
}

// TestMasterImageWorkerSeenFirstAsParent: a worker named first as the
// parent of its CGI child (the child's exec is logged before the worker's
// own accept) still shows, at its first record of its own, the image it
// was forked with (fcgiwrap's pre-forked workers).
func TestMasterImageWorkerSeenFirstAsParent(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	tr := NewTree()
	for i, w := range []int{101, 102} {
		tr.Observe(&Event{Kind: KindExec, Time: at.Add(time.Duration(2*i) * time.Second), PID: 200 + w, PPID: w,
			UID: NewID(33), EUID: NewID(33), Exe: "/usr/bin/dash", Args: []string{"/bin/sh", "/srv/cgi-bin/index.cgi"}, Success: true, Source: FormatAuditd, Syscall: "execve"})
		tr.Observe(&Event{Kind: KindConnect, Time: at.Add(time.Duration(2*i+1) * time.Second), PID: w, PPID: 100,
			UID: NewID(33), EUID: NewID(33), Exe: "/usr/sbin/fcgiwrap", Success: true, Source: FormatAuditd, Syscall: "accept"})
	}
	if q := tr.ByPID("", 100)[0]; !q.ImageInferred || q.Exe != "/usr/sbin/fcgiwrap" {
		t.Errorf("master: Exe %q inferred %v", q.Exe, q.ImageInferred)
	}
}
