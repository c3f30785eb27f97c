package detect

import (
	"strconv"
	"strings"
	"testing"
)

// TestServedDirs: directories are learned from where a web server's
// children run, never from system or temp folders, and bounded.
func TestServedDirs(t *testing.T) {
	s := servedDirs{}
	s.learn("h", "/srv/reports/www")
	s.learn("h", "/")
	s.learn("h", "/tmp/x")
	s.learn("h", "/srv")
	for _, c := range []struct {
		host, path string
		want       bool
	}{
		{"h", "/srv/reports/www/cache/.sess.php", true},
		{"h", "/srv/reports/www/index.php", true},
		{"h", "/srv/reports/data/ledger.csv", false},
		{"h", "/tmp/x/a.php", false},
		{"h", "/etc/passwd", false},
		{"other", "/srv/reports/www/index.php", false},
	} {
		if got := s.contains(c.host, c.path); got != c.want {
			t.Errorf("contains(%s, %s) = %v, want %v", c.host, c.path, got, c.want)
		}
	}
	for i := 0; i < maxServedDirs+10; i++ {
		s.learn("h", "/srv/site/"+strings.Repeat("d", i%50)+string(rune('a'+i%26))+"/"+strconv.Itoa(i))
	}
	if len(s) > maxServedDirs {
		t.Errorf("%d directories, bound %d", len(s), maxServedDirs)
	}
}

// TestCodeDirs: the folders a server's command line names as its code.
func TestCodeDirs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"/usr/bin/python3", "-m", "uvicorn", "berthplan:app", "--app-dir", "/srv/berthplan/app", "--port", "8160"}, []string{"/srv/berthplan/app"}},
		{[]string{"starman", "--listen", "127.0.0.1:5091", "--workers", "3", "/srv/scaleyard/app/app.psgi"}, []string{"/srv/scaleyard/app"}},
		{[]string{"gunicorn", "--chdir=/opt/netdiag", "app:app"}, []string{"/opt/netdiag"}},
		{[]string{"python3", "/srv/fieldbook/main.py"}, []string{"/srv/fieldbook"}},
		{[]string{"python3", "app.py"}, nil}, // relative to a cwd the log may not show
		{[]string{"nginx", "-g", "daemon off;"}, nil},
		{[]string{"--app-dir"}, nil},
	} {
		got := codeDirs(c.args)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("codeDirs(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
