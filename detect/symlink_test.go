package detect

import "testing"

// TestSymlinkToSystemFile: the web account pointing a link it may make
// (in its log folder, its web root) at a file of the system is a trap set
// for a more privileged writer or reader (CVE-2016-1247's log link to
// /etc/ld.so.preload); links inside its own trees, and root's links, are
// not.
func TestSymlinkToSystemFile(t *testing.T) {
	for _, c := range []struct {
		uid  uint32
		args []string
		want bool
	}{
		{33, []string{"ln", "-s", "/etc/ld.so.preload", "/var/www/logs/shop-error.log"}, true},
		{33, []string{"ln", "-sf", "/root/.ssh/authorized_keys", "/var/www/html/cache/k.txt"}, true},
		{33, []string{"ln", "--symbolic", "/etc/cron.d/backup", "/var/www/logs/access.log"}, true},
		{33, []string{"ln", "-s", "/var/www/html/storage/app/public", "/var/www/html/public/storage"}, false},
		{33, []string{"ln", "-sfn", "releases/2026.12.7", "current"}, false},
		{33, []string{"ln", "/etc/hosts", "/var/www/html/h"}, false}, // a hard link: not this rule's
		{0, []string{"ln", "-s", "/etc/nginx/sites-available/shop", "/etc/nginx/sites-enabled/shop"}, false},
	} {
		got := findingOf(execAs(t, c.uid, "/var/www/html", "/usr/bin/ln", c.args...), "symlink-privileged-target-web")
		if (got != nil) != c.want {
			t.Errorf("uid %d %q: %v, want a finding %v", c.uid, c.args, got, c.want)
		}
		if got != nil && (got.Stage != StageSuspiciousSpawn || got.Severity != SeverityHigh) {
			t.Errorf("%q: stage %d, %s; want stage 4, high", c.args, got.Stage, got.Severity)
		}
	}
}
