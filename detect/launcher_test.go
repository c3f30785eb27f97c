package detect

import (
	"slices"
	"strings"
	"testing"
)

// TestLauncherQuoted: a planted program started by a shell whose command
// names it (a service's attach-daemon line, a hook's sh -c) is found on
// its own exec, and the finding quotes the shell's exec beside it: the
// line that holds the persistence is evidence of its firing.
func TestLauncherQuoted(t *testing.T) {
	e, s := webShellScene(t)
	const tool = "/usr/local/lib/.k/agent"
	if w := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/cp", "cp", "/tmp/.a", tool), s.tree); findingOf(w, RuleProgramPlanted) == nil {
		t.Fatalf("the copy: %v, want %s", ids(w), RuleProgramPlanted)
	}
	e.Observe(s.exec(900, 1, 0, "root", "/", "/usr/bin/uwsgi-core", "uwsgi-core", "--ini", "zz.ini"), s.tree)
	sh := s.exec(901, 900, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", "/usr/bin/python3 "+tool)
	e.Observe(sh, s.tree)
	f := findingOf(e.Observe(s.exec(902, 901, 0, "root", "/", "/usr/bin/python3.11", "/usr/bin/python3", tool), s.tree), RulePlantedFileRun)
	if f == nil {
		t.Fatal("the planted program's run: no planted-file-run")
	}
	if !slices.Contains(f.Related, sh) || !strings.Contains(f.Reason, "started by pid 901") {
		t.Errorf("related %d events, reason %q: want the launching shell's exec quoted", len(f.Related), f.Reason)
	}
	// a shell that only names it (ls, sha256sum) and starts something else
	e.Observe(s.exec(910, 1, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", "sha256sum "+tool+"; /usr/bin/python3 "+tool), s.tree)
	g := findingOf(e.Observe(s.exec(911, 1, 0, "root", "/", "/usr/bin/python3.11", "/usr/bin/python3", tool), s.tree), RulePlantedFileRun)
	if g != nil && strings.Contains(g.Reason, "started by pid 910") {
		t.Errorf("a run whose parent is not the shell quotes it: %q", g.Reason)
	}
}
