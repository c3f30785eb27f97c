package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestWrittenForWebRun: a file the web side wrote that no rule flagged (no
// script extension, outside any persistence place) is code once it runs:
// run by another account it is the web account's code with that account's
// rights (hivelog-rpcsend: the unicorn master, root, ran the web shell's
// extensionless g). Run by the web account itself it is not; nor after
// root rewrote it; nor when the web account wrote it in its own login (a
// deploy over ssh: benign-hollybox's CI).
func TestWrittenForWebRun(t *testing.T) {
	const g = "/srv/app/tmp/cache/.ht/g"
	run := func(e *Engine, s *synth, pid int, uid uint32) *Finding {
		user := map[uint32]string{0: "root", 33: "www-data"}[uid]
		return findingOf(e.Observe(s.exec(pid, 1, uid, user, "/srv/app", "/usr/bin/dash", "/bin/sh", g), s.tree), RulePlantedFileRun)
	}
	write := func(e *Engine, s *synth, pid, ppid int, auid uint32) {
		s.exec(pid, ppid, 33, "www-data", "/srv/app", "/usr/bin/tar", "tar", "-xzf", "-", "-C", "/srv/app/tmp/cache/.ht")
		w := s.file(parser.KindFileWrite, pid, ppid, 33, "/usr/bin/tar", g, true)
		w.AUID = parser.NewID(auid)
		if fs := e.Observe(w, s.tree); len(fs) != 0 {
			t.Fatalf("the write alone: %v, want no finding (no rule flags an extensionless file)", ids(fs))
		}
	}

	e, s := webShellScene(t)
	write(e, s, 202, 201, parser.Unset)
	if f := run(e, s, 600, 33); f != nil {
		t.Errorf("the web account running its own file: %s fired", f.Title)
	}
	f := run(e, s, 601, 0)
	if f == nil || f.Severity < SeverityHigh || f.Title != "Script Changed By The Web Account Run By Another Account" {
		t.Fatalf("root running the web side's file: %v, want planted-file-run's escalation, high", f)
	}
	e.Observe(s.file(parser.KindRename, 610, 1, 0, "/usr/bin/sed", g, true), s.tree) // root rewrites it
	if f := run(e, s, 611, 0); f != nil {
		t.Errorf("root running it after its own rewrite: %s fired", f.Title)
	}

	e, s = webShellScene(t)
	s.exec(900, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: www-data [priv]")
	write(e, s, 902, 900, 33) // the web account's ssh login: auid set
	if f := run(e, s, 903, 0); f != nil {
		t.Errorf("root running what the web account's own login deployed: %s fired", f.Title)
	}
}

// TestWrittenForWebRunWhole: a file the web side made (its write's PATH
// item is CREATE) is the web side's from its first line, so what its run
// by another account starts acts for the web server: root's install of
// the agent into the system's folders is the web side's plant
// (plotbook-noticepreview's hook, written into the static folder by the
// web shell and run by the vassal's root master). A file the web side
// only changed runs beside its own lines: its run is the escalation, but
// its other children stay root's.
func TestWrittenForWebRunWhole(t *testing.T) {
	const h = "/srv/app/static/.t/h"
	scene := func(created bool) (*Engine, *synth) {
		e, s := webShellScene(t)
		s.exec(202, 201, 33, "www-data", "/srv/app", "/usr/bin/dash", "/bin/sh", "-c", "base64 -d > /srv/app/static/.t/h")
		w := s.file(parser.KindFileWrite, 202, 201, 33, "/usr/bin/dash", h, true)
		nt := "NORMAL"
		if created {
			nt = "CREATE"
		}
		w.Paths = []parser.PathRecord{{Name: "/srv/app/static/.t/", Nametype: "PARENT"}, {Name: h, Nametype: nt}}
		e.Observe(w, s.tree)
		return e, s
	}
	for _, created := range []bool{true, false} {
		e, s := scene(created)
		run := findingOf(e.Observe(s.exec(601, 1, 0, "root", "/", "/usr/bin/dash", "/bin/sh", h), s.tree), RulePlantedFileRun)
		if run == nil {
			t.Fatalf("created=%v: root running the web side's file: no planted-file-run", created)
		}
		inst := findingOf(e.Observe(s.exec(602, 601, 0, "root", "/", "/usr/bin/install", "install", "-m", "700", "/srv/app/static/.t/a", "/usr/local/lib/x/agent"), s.tree), RuleProgramPlanted)
		if created && inst == nil {
			t.Errorf("the made file's run installs a program: no %s (its run was not adopted whole)", RuleProgramPlanted)
		}
		if !created && inst != nil {
			t.Errorf("a changed file's run: its install was taken for the web side's (%s)", inst.Title)
		}
	}
}
