package timeline

import (
	"reflect"
	"strings"
	"testing"
)

func TestRedirectTargets(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want []string
	}{
		{"echo JSBteS | base64 -d > /srv/press/templates/help/imposition.html.ep; ls -l x", []string{"/srv/press/templates/help/imposition.html.ep"}},
		{"echo x >>notes.txt 2>&1", []string{"notes.txt"}},
		{"id >/dev/null 2>&1", nil},
		{"cat a | tee -a '/var/www/html/x.php' b >&2", []string{"/var/www/html/x.php", "b"}},
		{"diff <(a) >(b)", nil},
		{"", nil},
	} {
		if got := redirectTargets(c.cmd); !reflect.DeepEqual(got, c.want) {
			t.Errorf("redirectTargets(%q) = %q, want %q", c.cmd, got, c.want)
		}
	}
}

func TestNamesFile(t *testing.T) {
	for _, c := range []struct {
		file, url string
		want      bool
	}{
		{"/srv/press/templates/help/imposition.html.ep", "/help/imposition", true},
		{"/var/www/html/uploads/x.php", "/uploads/x.php", true},
		{"/srv/app/www/attachments/1017/replies/.cache.php", "/attachments/1017/replies/.cache.php", true},
		{"/srv/press/templates/help/imposition.html.ep", "/imposition2", false},
		{"/srv/press/templates/help/xposition.html.ep", "/position", false}, // not at a folder boundary
		{"/var/www/html/index.php", "/", false},
	} {
		if got := namesFile(c.file, c.url); got != c.want {
			t.Errorf("namesFile(%q, %q) = %v, want %v", c.file, c.url, got, c.want)
		}
	}
}

// FuzzRedirectTargets: a command line an intruder wrote never panics the
// reader, and never yields more than maxRedirects files.
func FuzzRedirectTargets(f *testing.F) {
	for _, s := range []string{"echo a > b", ">>", "> ", "tee", "a >& b > c | tee -a d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		if got := redirectTargets(cmd); len(got) > maxRedirects {
			t.Fatalf("%d files", len(got))
		}
		_ = namesFile(cmd, "/"+strings.TrimLeft(cmd, "/"))
	})
}
