package detect

import (
	"slices"
	"testing"
)

// TestMailFromChannel: a mail program run inside the intrusion's channel
// (typed at a reverse shell, or by a loop there) is mail sent by the
// intruder, whatever it held: stage 8, no technique of its own claimed. The
// application's own mail, below the web server, is not.
func TestMailFromChannel(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "python3 /var/www/html/x.py")
	s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "/var/www/html/x.py")
	e.Observe(s.connect(202, 201, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
	s.exec(203, 202, 33, "www-data", "/var/www", "/usr/bin/bash", "/bin/bash", "-i")
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
