package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestAdminSudoShadowRead: an administrator's `sudo grep alice
// /etc/shadow` in her own login is administration (medium, said so); the
// same read by root without a person's login, under the web server, or
// in a cron job's session, stays high.
func TestAdminSudoShadowRead(t *testing.T) {
	for _, c := range []struct {
		name     string
		auid     uint32
		viaSudo  bool
		underWeb bool
		cron     bool
		want     Severity
		title    string
	}{
		{"admin's sudo in her login", 2002, true, false, false, SeverityMedium, "Credential File Read Through sudo By An Administrator"},
		{"root without a login", parser.Unset, true, false, false, SeverityHigh, ""},
		{"no sudo", 2002, false, false, false, SeverityHigh, ""},
		{"sudo under the web server", 2002, true, true, false, SeverityHigh, ""},
		// cron opens a session for the job's owner: no one is at it
		{"a cron job's sudo", 2003, true, false, true, SeverityHigh, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			withLogin := func(ev *parser.Event) *parser.Event {
				ev.AUID, ev.AUser = parser.NewID(c.auid), "alice"
				return ev
			}
			parent := 1
			if c.underWeb {
				s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
				parent = 200
			}
			if c.cron {
				s.exec(250, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/CRON", "-f")
				parent = 250
			}
			e.Observe(withLogin(s.exec(300, parent, 2002, "alice", "/home/alice", "/usr/bin/bash", "-bash")), s.tree)
			p := 300
			if c.viaSudo {
				e.Observe(withLogin(s.exec(301, 300, 0, "root", "/home/alice", "/usr/bin/sudo", "sudo", "grep", "alice", "/etc/shadow")), s.tree)
				p = 301
			}
			e.Observe(withLogin(s.exec(302, p, 0, "root", "/home/alice", "/usr/bin/grep", "grep", "alice", "/etc/shadow")), s.tree)
			fs := e.Observe(withLogin(s.file(parser.KindFileRead, 302, p, 0, "/usr/bin/grep", "/etc/shadow", true)), s.tree)
			f := findingOf(fs, "credential-file-access")
			if f == nil {
				t.Fatalf("no credential-file-access finding: %v", ids(fs))
			}
			if f.Severity != c.want {
				t.Errorf("severity %v, want %v (%s)", f.Severity, c.want, f.Title)
			}
			if c.title != "" && f.Title != c.title {
				t.Errorf("title %q, want %q", f.Title, c.title)
			}
		})
	}
}

// TestOwnHistoryInOwnLogin: a person clearing their own shell's history in
// their own login is medium and said so; the web account or a shell
// without a person's login doing it stays high.
func TestOwnHistoryInOwnLogin(t *testing.T) {
	for _, c := range []struct {
		name string
		uid  uint32
		auid uint32
		want Severity
	}{
		{"admin at logout", 2002, 2002, SeverityMedium},
		{"no person's login", 0, parser.Unset, SeverityHigh},
		{"the web account", 33, parser.Unset, SeverityHigh},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			ev := s.exec(310, 1, c.uid, "alice", "/home/alice", "/usr/bin/bash", "bash", "-c", "history -c; exit")
			if c.uid == 33 {
				ev = s.exec(310, 201, c.uid, "www-data", "/var/www", "/usr/bin/bash", "bash", "-c", "history -c; unset HISTFILE")
			}
			ev.AUID, ev.AUser = parser.NewID(c.auid), "alice"
			f := findingOf(e.Observe(ev, s.tree), "log-tampering-command")
			if f == nil {
				t.Fatal("no log-tampering-command finding")
			}
			if f.Severity != c.want {
				t.Errorf("severity %v, want %v (%s)", f.Severity, c.want, f.Title)
			}
		})
	}
}
