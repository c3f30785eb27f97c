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
