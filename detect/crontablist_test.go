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
