package detect

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestModuleFiles(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"/usr/bin/python3", "-m", "millrun.report"}, []string{"millrun/report.py", "millrun/report/__main__.py", "millrun/__init__.py"}},
		{[]string{"python3", "-u", "-m", "tool"}, []string{"tool.py", "tool/__main__.py"}},
		{[]string{"setsid", "python3.11", "-m", "a.b.c"}, []string{"a/b/c.py", "a/b/c/__main__.py", "a/__init__.py", "a/b/__init__.py"}},
		// a script or inline code: no module to look up
		{[]string{"python3", "/srv/app/run.py", "-m", "x"}, []string{"/srv/app/run.py"}},
		{[]string{"python3", "-c", "import x", "-m", "y"}, nil},
		{[]string{"python3", "-m", "../etc"}, nil},
		// not python: -m means something else
		{[]string{"perl", "-m", "strict", "-e", "1"}, nil},
	} {
		if got := loadedCode(c.args); !slices.Equal(got, c.want) {
			t.Errorf("loadedCode(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

func TestCopiedFiles(t *testing.T) {
	for _, c := range []struct {
		words []string
		cwd   string
		want  []string
	}{
		{[]string{"cp", "/tmp/.s/__init__.py", "/tmp/.s/report.py", "/var/spool/m/m/"}, "/", []string{"/var/spool/m/m/__init__.py", "/var/spool/m/m/report.py"}},
		{[]string{"cp", "-p", "/tmp/a", "/opt/b"}, "/", []string{"/opt/b", "/opt/b/a"}},
		{[]string{"mv", "x.py", "lib/"}, "/srv/app", []string{"/srv/app/lib/x.py"}},
		{[]string{"install", "-m", "755", "-t", "/usr/local/bin", "/tmp/t1", "/tmp/t2"}, "/", []string{"/usr/local/bin/t1", "/usr/local/bin/t2"}},
		{[]string{"cp", "a", "b"}, "", nil}, // relative, and no folder to read them in
		{[]string{"install", "-d", "/opt/x", "/opt/y"}, "/", nil},
		{[]string{"cat", "/tmp/a", "/tmp/b"}, "/", nil},
		{[]string{"cp", "/tmp/a"}, "/", nil},
	} {
		if got := copiedFiles(c.words, c.cwd); !slices.Equal(got, c.want) {
			t.Errorf("copiedFiles(%q, %q) = %q, want %q", c.words, c.cwd, got, c.want)
		}
	}
}

func TestQuotedCommands(t *testing.T) {
	for _, c := range []struct {
		arg  string
		want []string
	}{
		{`\nMatch originalhost offsite-* exec "setsid -f /usr/bin/python3 /var/lib/.c/c.py >/dev/null 2>&1; exit 1"\n`,
			[]string{"setsid -f /usr/bin/python3 /var/lib/.c/c.py >/dev/null 2>&1; exit 1"}},
		{`ProxyCommand='nc -x 127.0.0.1:9 %h %p'`, []string{"nc -x 127.0.0.1:9 %h %p"}},
		{`echo "Hello, World" '/tmp/x'`, nil}, // a sentence, a path alone
		{`"unbalanced`, nil},
	} {
		if got := quotedCommands(c.arg); !slices.Equal(got, c.want) {
			t.Errorf("quotedCommands(%q) = %q, want %q", c.arg, got, c.want)
		}
	}
}

// TestModulePlantedByCopyRunByRoot: the intrusion's shell copies a
// package into a folder where root's cron job runs `python3 -m` of that
// name (cuspid-labelfmt): no watch records the copy, but its command line
// names the files, and -m imports from the job's working directory first.
// Root's run is the plant firing with root's rights; after the intrusion's
// own rm -rf of the package, the next run imports the system's module and
// is no firing.
func TestModulePlantedByCopyRunByRoot(t *testing.T) {
	e, s := webShellScene(t)
	copyCmd := "mkdir -p /var/spool/m/millrun && cp /tmp/.s/__init__.py /tmp/.s/report.py /var/spool/m/millrun/"
	if fs := e.Observe(s.exec(210, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", copyCmd+" && id"), s.tree); len(fs) == 0 {
		t.Fatal("the web shell's copy command: no finding (the test needs it flagged to note its files)")
	}
	job := func(pid int) []*Finding {
		s.t = s.t.Add(time.Minute)
		s.exec(pid, 1, 0, "root", "/var/spool/m", "/usr/bin/dash", "/bin/sh", "-c", "cd /var/spool/m && /usr/bin/python3 -m millrun.report")
		return e.Observe(s.exec(pid+1, pid, 0, "root", "/var/spool/m", "/usr/bin/python3.11", "/usr/bin/python3", "-m", "millrun.report"), s.tree)
	}
	f := findingOf(job(400), RulePlantedFileRun)
	if f == nil {
		t.Fatal("root's python3 -m millrun.report in the folder the package was copied into: no planted-file-run")
	}
	// no record shows the copy: the reason names the file, the act that
	// named it and how the run finds it, as inferred
	if want := "inferred: it runs /var/spool/m/millrun/report.py, found from its working folder /var/spool/m, named as written by the command line of dash[210]"; !strings.Contains(f.Reason, want) {
		t.Errorf("reason %q, want it to say %q", f.Reason, want)
	}
	// a job in another folder imports the system's module
	s.t = s.t.Add(time.Second)
	s.exec(450, 1, 0, "root", "/root", "/usr/bin/dash", "/bin/sh", "-c", "/usr/bin/python3 -m millrun.report")
	if f := findingOf(e.Observe(s.exec(451, 450, 0, "root", "/root", "/usr/bin/python3.11", "/usr/bin/python3", "-m", "millrun.report"), s.tree), RulePlantedFileRun); f != nil {
		t.Errorf("the same module run from /root: %s, want none", f.Title)
	}
	s.t = s.t.Add(time.Second)
	s.exec(500, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "rm -rf /var/spool/m/millrun")
	e.Observe(s.exec(501, 500, 33, "www-data", "/var/www", "/usr/bin/rm", "rm", "-rf", "/var/spool/m/millrun"), s.tree)
	if f := findingOf(job(600), RulePlantedFileRun); f != nil {
		t.Errorf("the job after the package was removed: %s, want no firing", f.Title)
	}
	// copied in again: the new copy runs
	e.Observe(s.exec(700, 201, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", copyCmd+" && id"), s.tree)
	if f := findingOf(job(800), RulePlantedFileRun); f == nil {
		t.Error("the job after the package was copied in again: no firing")
	}
}

// TestQuotedCommandInShellFired: the intrusion's shell appends a line to
// root's ssh client settings whose Match exec runs a command; ssh runs it
// later with sh -c exactly as quoted (cuspid-labelfmt).
func TestQuotedCommandInShellFired(t *testing.T) {
	e, s := webShellScene(t)
	cmd := `setsid -f /usr/bin/python3 /var/lib/.c/c.py >/dev/null 2>&1 </dev/null; exit 1`
	script := `printf '\nMatch originalhost offsite-* exec "` + cmd + `"\n' >> /root/.ssh/config`
	got := e.Observe(s.exec(210, 201, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", script), s.tree)
	if f := findingOf(got, "web-persistence-edit-command"); f == nil {
		t.Fatalf("the append to /root/.ssh/config: %v, want web-persistence-edit-command", ids(got))
	}
	// the configuring shell running the quoted text itself at once (its own
	// inner `sh -c "…"`) is the command in use, not a plant firing
	if f := findingOf(e.Observe(s.exec(211, 210, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", cmd), s.tree), RulePlantedFileRun); f != nil {
		t.Errorf("the configuring shell's own child running the text: %s, want no firing", f.Title)
	}
	s.t = s.t.Add(2 * time.Minute)
	s.exec(400, 1, 0, "root", "/root", "/usr/bin/dash", "/bin/sh", "/usr/local/sbin/backup")
	s.exec(401, 400, 0, "root", "/root", "/usr/bin/ssh", "ssh", "offsite")
	fired := e.Observe(s.exec(402, 401, 0, "root", "/root", "/usr/bin/dash", "/bin/sh", "-c", cmd), s.tree)
	if f := findingOf(fired, RulePlantedFileRun); f == nil || f.Title != "Planted Command Fired" {
		t.Fatalf("ssh's shell running the Match exec: %v, want Planted Command Fired", ids(fired))
	}
}

// TestQuotedCommandRunAtOnceNotPlanted: a command quoted for a program
// that runs it now (ssh's remote command) is the intruder's command in
// use, even when the same script writes a key into a file
// (stillroom-savedview): its run by the far side's shell is no plant.
func TestQuotedCommandRunAtOnceNotPlanted(t *testing.T) {
	e, s := webShellScene(t)
	script := `printf 'from="127.0.0.1" %s\n' "$(cat /dev/shm/k.pub)" >> /home/deploy/.ssh/authorized_keys && ssh -i /dev/shm/k deploy@127.0.0.1 'id; hostname; ls -la /srv/git'`
	e.Observe(s.exec(210, 201, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", script), s.tree)
	s.exec(400, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: deploy [priv]")
	got := e.Observe(s.exec(401, 400, 1001, "deploy", "/home/deploy", "/usr/bin/bash", "bash", "-c", "id; hostname; ls -la /srv/git"), s.tree)
	if f := findingOf(got, RulePlantedFileRun); f != nil {
		t.Errorf("ssh's remote command run by deploy's shell: %s, want no plant firing", f.Title)
	}
}
