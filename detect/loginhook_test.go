package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestLoginHookFired: a login hook the intrusion writes (/etc/profile.d,
// an account's ~/.profile) is sourced by the next login shell, which runs
// its lines itself: the hook's program is only seen as the login shell's
// child. Its firing is inferred from the order (a login after the write),
// the timing (within hookWindow of the shell's start), novelty (no login
// shell started that program before the write) and what the program is
// (a shell, interpreter, relay, fetcher or detacher, not a tool a person
// types). Each case breaks one of them; the detached loop a firing setsid
// starts acts for the intrusion.
func TestLoginHookFired(t *testing.T) {
	const sys = "/etc/profile.d/tide-locale.sh"
	type login struct {
		before bool // the login starts before the hook is written
		user   string
		uid    uint32
		argv   []string // the shell's argv
		child  []string // its child's argv (the judged one, for the last login)
		gap    time.Duration
	}
	alice := login{user: "alice", uid: 2002, argv: []string{"-bash"}, gap: 100 * time.Millisecond,
		child: []string{"setsid", "-f", "sh", "-c", "while c=$(mosquitto_sub -h 127.0.0.1 -p 1884 -t t/cmd -C 1); do sh -c \"$c\"; done"}}
	with := func(l login, f func(*login)) login { f(&l); return l }
	for _, c := range []struct {
		name   string
		hook   string
		logins []login
		want   bool
	}{
		{"the admin's next login detaches a loop", sys, []login{alice}, true},
		{"an account's own profile, its login", "/home/alice/.profile", []login{alice}, true},
		{"an account's own profile, another's login", "/home/bob/.profile", []login{alice}, false},
		{"an ordinary tool", sys, []login{with(alice, func(l *login) { l.child = []string{"df", "-h", "/srv"} })}, false},
		{"a login before the write", sys, []login{with(alice, func(l *login) { l.before = true })}, false},
		{"a shell that is no login shell", sys, []login{with(alice, func(l *login) { l.argv = []string{"bash", "-c", "uptime"} })}, false},
		{"a login shell by --login", sys, []login{with(alice, func(l *login) { l.argv = []string{"/bin/bash", "--login"} })}, true},
		{"seconds into the session", sys, []login{with(alice, func(l *login) { l.gap = 3 * time.Second })}, false},
		{"a program logins started before the write", sys, []login{
			with(alice, func(l *login) { l.before, l.child = true, []string{"curl", "-s", "http://127.0.0.1:8144/status"} }),
			with(alice, func(l *login) { l.child = []string{"curl", "-s", "http://127.0.0.1:8144/status"} })}, false},
		{"another program logins started before the write", sys, []login{
			with(alice, func(l *login) { l.before, l.child = true, []string{"curl", "-s", "http://127.0.0.1:8144/status"} }),
			alice}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			pid := 500
			start := func(l login) []*Finding {
				s.exec(pid, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: "+l.user+" [priv]")
				sh := s.exec(pid+1, pid, l.uid, l.user, "/home/"+l.user, "/usr/bin/bash", l.argv...)
				sh.AUID = parser.NewID(l.uid)
				e.Observe(sh, s.tree)
				s.t = s.t.Add(l.gap)
				ch := s.exec(pid+2, pid+1, l.uid, l.user, "/home/"+l.user, "/usr/bin/"+l.child[0], l.child...)
				ch.AUID = parser.NewID(l.uid)
				pid += 10
				return e.Observe(ch, s.tree)
			}
			var last []*Finding
			for _, l := range c.logins {
				if l.before {
					last = start(l)
				}
			}
			w := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "echo ZWNobyBoaQ== | base64 -d > "+c.hook), s.tree)
			if f := findingOf(w, "web-persistence-edit-command"); f == nil || f.Stage != StagePersistence {
				t.Fatalf("the hook's write: %v, want web-persistence-edit-command on stage 5", ids(w))
			}
			s.t = s.t.Add(30 * time.Second)
			for _, l := range c.logins {
				if !l.before {
					last = start(l)
				}
			}
			f := findingOf(last, RulePlantedFileRun)
			if (f != nil) != c.want {
				t.Fatalf("planted-file-run on the login shell's child: %v, want %v (%v)", f != nil, c.want, ids(last))
			}
			if f == nil {
				return
			}
			if f.Stage != StagePersistence || f.FiredHook != c.hook || !strings.Contains(f.Reason, "inferred: the login shell") {
				t.Errorf("stage %v, hook %q, reason %q: want persistence, %s, the login inference said", f.Stage, f.FiredHook, f.Reason, c.hook)
			}
			if c.logins[len(c.logins)-1].child[0] != "setsid" {
				return
			}
			// the loop setsid detached starts under init with the argv it
			// named, and what it does acts for the intrusion
			loop := s.exec(pid+3, 1, 2002, "alice", "/home/alice", "/usr/bin/dash", alice.child[2:]...)
			e.Observe(loop, s.tree)
			sub := s.exec(pid+4, pid+3, 2002, "alice", "/home/alice", "/usr/bin/mosquitto_sub", "mosquitto_sub", "-h", "127.0.0.1", "-p", "1884")
			e.Observe(sub, s.tree)
			if g := findingOf(e.Observe(s.connect(pid+4, pid+3, 2002, "/usr/bin/mosquitto_sub", "127.0.0.1", 1884), s.tree), "web-outbound-connect"); g == nil {
				t.Errorf("the detached loop's connect: no web-outbound-connect")
			}
		})
	}
}

// TestLoginHookNamesWhatTheShellReads: with ~/.bashrc and ~/.profile both
// written, a login shell's firing names ~/.profile, which it reads itself
// (.bashrc only through it), whichever was written last.
func TestLoginHookNamesWhatTheShellReads(t *testing.T) {
	e, s := webShellScene(t)
	for _, h := range []string{"/home/alice/.profile", "/home/alice/.bashrc"} {
		e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "echo ZWNobyBoaQ== | base64 -d >> "+h), s.tree)
	}
	s.t = s.t.Add(30 * time.Second)
	s.exec(500, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: alice [priv]")
	sh := s.exec(501, 500, 2002, "alice", "/home/alice", "/usr/bin/bash", "-bash")
	sh.AUID = parser.NewID(2002)
	e.Observe(sh, s.tree)
	ch := s.exec(502, 501, 2002, "alice", "/home/alice", "/usr/bin/setsid", "setsid", "-f", "sh", "-c", "while :; do sleep 60; done")
	ch.AUID = parser.NewID(2002)
	f := findingOf(e.Observe(ch, s.tree), RulePlantedFileRun)
	if f == nil || f.FiredHook != "/home/alice/.profile" {
		t.Fatalf("firing: %+v, want ~/.profile named", f)
	}
}

// TestLoginHookInferredOnce: a login reads its hooks once, so its firing
// is inferred as one child at most: the first that qualifies. And when a
// planted file is seen running as that account since the login began, the
// hook's payload is known and nothing is inferred: the login's other
// children (a root login's pyenv init, run by its own ~/.bashrc) are its
// own (tallyhall-xslt: five of them were taken for the hook firing).
func TestLoginHookInferredOnce(t *testing.T) {
	for _, observed := range []bool{false, true} {
		e, s := webShellScene(t)
		e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "echo ZWNobyBoaQ== | base64 -d >> /etc/bash.bashrc"), s.tree)
		if observed {
			// the intrusion's implant, copied into place by its command
			e.Observe(s.exec(203, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "cp /tmp/.x/imp.py /usr/local/lib/imp.py; echo 'setsid python3 /usr/local/lib/imp.py' >> /etc/bash.bashrc"), s.tree)
		}
		s.t = s.t.Add(30 * time.Second)
		s.exec(500, 1, 0, "root", "/", "/usr/bin/sudo", "sudo", "-i")
		sh := s.exec(501, 500, 0, "root", "/root", "/usr/bin/bash", "-bash")
		sh.AUID = parser.NewID(2002)
		e.Observe(sh, s.tree)
		if observed {
			imp := s.exec(502, 1, 0, "root", "/root", "/usr/bin/python3.11", "/usr/bin/python3", "/usr/local/lib/imp.py")
			if f := findingOf(e.Observe(imp, s.tree), RulePlantedFileRun); f == nil || f.FiredHook != "" {
				t.Fatalf("the implant's run: %+v, want planted-file-run, observed", f)
			}
		}
		var fired []string
		for i, child := range [][]string{{"bash", "/root/.pyenv/bin/pyenv", "init", "-"}, {"bash", "/root/.pyenv/bin/pyenv", "rehash"}} {
			ch := s.exec(510+i, 501, 0, "root", "/root", "/usr/bin/bash", child...)
			ch.AUID = parser.NewID(2002)
			if f := findingOf(e.Observe(ch, s.tree), RulePlantedFileRun); f != nil {
				fired = append(fired, strings.Join(child, " "))
			}
		}
		want := 1
		if observed {
			want = 0
		}
		if len(fired) != want {
			t.Errorf("observed implant %v: inferred firings %q, want %d", observed, fired, want)
		}
	}
}
