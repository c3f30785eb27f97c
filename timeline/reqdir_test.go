package timeline

import (
	"path"
	"strings"
	"testing"
)

func TestScriptDir(t *testing.T) {
	for _, c := range []struct {
		url, dir string
		ok       bool
	}{
		{"/admin/diag.php", "/admin", true},
		{"/admin/diag.php/extra/path", "/admin", true}, // PATH_INFO after the script
		{"/a/b/../c/x.PHP", "/a/c", true},
		{"/index.php", "/", true},
		{"/shop/item.phtml", "/shop", true},
		{"/old/x.php5", "/old", true},
		{"/admin/", "/admin", true}, // the folder's index script runs there
		{"/", "/", true},
		{"/blog/2024/hello", "", false}, // a front controller's route: no script named
		{"/x.php9", "", false},
		{"/img/a.png", "", false},
		{"", "", false},
		{"relative.php", "", false},
	} {
		d, ok := scriptDir(c.url)
		if d != c.dir || ok != c.ok {
			t.Errorf("scriptDir(%q) = %q, %v; want %q, %v", c.url, d, ok, c.dir, c.ok)
		}
	}
}

func TestInFolder(t *testing.T) {
	for _, c := range []struct {
		cwd, dir string
		want     bool
	}{
		{"/srv/deskline/www/admin", "/admin", true},
		{"/srv/deskline/www/admin/", "/admin", true},
		{"/srv/wwwadmin", "/admin", false}, // a folder boundary, not a string tail
		{"/srv/www", "/", false},           // the top folder fits every cwd: it tells nothing
		{"/srv/kb/db", "/admin", false},
		{"/var/www/html/a/b", "/a/b", true},
	} {
		if got := inFolder(c.cwd, c.dir); got != c.want {
			t.Errorf("inFolder(%q, %q) = %v, want %v", c.cwd, c.dir, got, c.want)
		}
	}
}

// FuzzScriptDir: any URL path gives a clean absolute folder that is a
// folder of the cleaned path, or nothing.
func FuzzScriptDir(f *testing.F) {
	for _, s := range []string{"/admin/diag.php", "/a.php/b/c", "/x/", "//..//y.php", "/%2e%2e/z.php"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		d, ok := scriptDir(u)
		if !ok {
			if d != "" {
				t.Fatalf("scriptDir(%q) = %q without a script", u, d)
			}
			return
		}
		if d == "" || d[0] != '/' || path.Clean(d) != d {
			t.Fatalf("scriptDir(%q) = %q: not a clean absolute folder", u, d)
		}
		if c := path.Clean(u); d != "/" && c != d && !strings.HasPrefix(c, d+"/") {
			t.Fatalf("scriptDir(%q) = %q: not a folder of %q", u, d, c)
		}
	})
}
