package detect

import "testing"

// TestMadeExecutableByFolder: the file a chmod readies is read as chmod
// resolves it, against the process's folder, and only a new execute bit
// counts: `cd /dev/shm/.p && chmod 755 warm` readies a file in a temp
// folder though no folder is in its argv; u=rwX gives the bit to nothing
// that could not run before.
func TestMadeExecutableByFolder(t *testing.T) {
	for _, c := range []struct {
		cwd  string
		args []string
		want bool
	}{
		{"/dev/shm/.p", []string{"chmod", "755", "warm", "s"}, true},
		{"/", []string{"chmod", "+x", "/tmp/x"}, true},
		{"/var/www/html", []string{"chmod", "u+x", "up/a.sh"}, true},
		{"/var/www/html", []string{"chmod", "-R", "u=rwX,go=rX", "/var/www/html/plugins/gift-cards"}, false},
		{"/tmp", []string{"chmod", "644", "report.csv"}, false},
		{"/", []string{"chmod", "-R", "u+rwx", "/tmp/passenger.spawn.XXXXijNuOg"}, false},
		{"/", []string{"chmod", "-vR", "755", "/tmp/tree"}, false},
		{"/home/alice", []string{"chmod", "+x", "tool"}, false},
	} {
		fs := execAs(t, 33, c.cwd, "/usr/bin/chmod", c.args...)
		if got := findingOf(fs, "make-executable-temp") != nil; got != c.want {
			t.Errorf("%s: %v: make-executable-temp %v, want %v", c.cwd, c.args, got, c.want)
		}
	}
}

// TestReadiedInSharedMemoryRunByRoot: a script the web shell's chmod
// readied in /dev/shm (a tmpfs, not a device: its write no watch saw),
// run later by root's job, is the web account's code running as root —
// the escalation, found by the chmod that named it.
func TestReadiedInSharedMemoryRunByRoot(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(202, 201, 33, "www-data", "/dev/shm/.p", "/usr/bin/chmod", "chmod", "755", "warm"), s.tree)
	s.exec(400, 1, 0, "root", "/var/www/html", "/usr/bin/php", "php", "/usr/bin/composer", "install")
	fs := e.Observe(s.exec(401, 400, 0, "root", "/var/www/html", "/usr/bin/dash", "sh", "/dev/shm/.p/warm"), s.tree)
	f := findingOf(fs, "planted-file-run")
	if f == nil {
		t.Fatalf("root's run of the readied script: no planted-file-run (%v)", ids(fs))
	}
	if f.Stage != StageSuspiciousSpawn {
		t.Errorf("stage %v, want the privilege gained (4)", f.Stage)
	}
}
