package report

import "testing"

// TestDroppedPath: a program or script run from a temporary folder or a
// hidden path is a dropped tool to hunt; a dot-folder right in a home
// directory is where the account's own tools install.
func TestDroppedPath(t *testing.T) {
	for _, c := range []struct {
		path string
		want bool
	}{
		{"/tmp/.sysd", true},
		{"/dev/shm/.kworker/kworkerds", true},
		{"/var/tmp/.ICE-unix/.wd.sh", true},
		{"/var/cache/ldconfig/.aux/ld-sync", true},
		{"/srv/ledger/.cache/ledger-gc", true},
		{"/root/.pyenv/bin/pyenv", false},
		{"/home/alice/.local/bin/tool", false},
		{"/home/alice/.cache/.x/y", true},
		{"/root/.ssh/.k", true},
		{"/usr/bin/curl", false},
		{"/srv/app/manage.py", false},
		{"relative/.x", false},
		{"/tmp/../usr/bin/id", false},
	} {
		if got := droppedPath(c.path); got != c.want {
			t.Errorf("droppedPath(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}
