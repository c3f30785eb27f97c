package detect

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMailFromChannel: a mail program run inside the intrusion's channel
// (typed at a reverse shell, or by a loop there) is mail sent by the
// intruder, whatever it held: stage 8, no technique of its own claimed. The
// application's own mail, below the web server, is not.
func TestMailFromChannel(t *testing.T) {
	e, s := channelScene(t, "/usr/bin/bash")
	for _, c := range []struct {
		name string
		pid  int
		exe  string
		args []string
	}{
		{"sendmail", 204, "/usr/sbin/sendmail", []string{"/usr/sbin/sendmail", "-t", "-i"}},
		{"a sendmail stand-in script", 205, "/usr/bin/dash", []string{"/bin/sh", "/usr/sbin/sendmail", "-t", "-i", "-fsupport@example.org"}},
	} {
		f := has(e.Observe(s.exec(c.pid, 203, 33, "www-data", "/var/www", c.exe, c.args...), s.tree), "mail-from-channel")
		if f == nil || f.RuleID != "mail-from-channel" || f.Stage != StageExfiltrationImpact || slices.Contains(f.Attack, "T1048.003") || slices.Contains(f.Attack, "T1534") {
			t.Errorf("%s in the channel: %+v, want mail-from-channel leading, on stage 8, claiming no mail technique", c.name, f)
		}
	}
	// the application's mail() below the server: not the intruder's
	s.exec(210, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "/usr/sbin/sendmail -t -i")
	if f := has(e.Observe(s.exec(211, 210, 33, "www-data", "/var/www", "/usr/sbin/sendmail", "/usr/sbin/sendmail", "-t", "-i"), s.tree), "mail-from-channel"); f != nil {
		t.Errorf("the application's own mail: %s fired", f.Title)
	}
}

// TestPipelineMember: a `while read` loop of the channel's shell never
// execs, so its children name a parent the log never shows. The two pids
// below it, started by the same shell just before, tell that the shell
// forked it (a pipeline's members take pids in a row): its children run
// in the channel. Another program's pids in a row (a build tool), another
// account's child, or members started long before, tell nothing.
func TestPipelineMember(t *testing.T) {
	for _, c := range []struct {
		name      string
		shellExe  string
		childUID  uint32
		gap       time.Duration
		inChannel bool
	}{
		{"the shell's loop", "/usr/bin/bash", 33, 0, true},
		{"a build tool's children", "/usr/local/go/bin/go", 33, 0, false},
		{"another account's child", "/usr/bin/bash", 1000, 0, false},
		{"members started long before", "/usr/bin/bash", 33, 3 * time.Second, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := channelScene(t, c.shellExe)
			// the pipeline: cut 3476, tail 3477, the loop 3478 (no exec)
			e.Observe(s.exec(3476, 203, 33, "www-data", "/var/www", "/usr/bin/cut", "cut", "-d,", "-f2", "customers.csv"), s.tree)
			e.Observe(s.exec(3477, 203, 33, "www-data", "/var/www", "/usr/bin/tail", "tail", "-n", "+2"), s.tree)
			s.t = s.t.Add(c.gap)
			user := "www-data"
			if c.childUID != 33 {
				user = "kai"
			}
			fs := e.Observe(s.exec(3481, 3478, c.childUID, user, "/var/www", "/usr/sbin/sendmail", "/usr/sbin/sendmail", "-t", "-i"), s.tree)
			f := has(fs, "mail-from-channel")
			if got := f != nil; got != c.inChannel {
				t.Errorf("mail from the loop's child in the channel: %v, want %v (%v)", got, c.inChannel, ids(fs))
			}
			if f != nil && !strings.Contains(f.Reason, "inferred: pid 3478") {
				t.Errorf("reason %q: want the loop's place said as inferred", f.Reason)
			}
		})
	}
}

// channelScene is a web server whose script connected out (a reverse
// shell's channel, 203.0.113.9:443) and started shell (pid 203) in it.
func channelScene(t *testing.T, shell string) (*Engine, *synth) {
	t.Helper()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "python3 /var/www/html/x.py")
	s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "/var/www/html/x.py")
	e.Observe(s.connect(202, 201, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
	e.Observe(s.exec(203, 202, 33, "www-data", "/var/www", shell, shell, "-i"), s.tree)
	return e, s
}
