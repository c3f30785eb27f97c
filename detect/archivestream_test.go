package detect

import "testing"

// TestArchiveIntoConnection: an archive written to standard output is
// staged for the connection its reader holds: an implant's tar is, an
// export streamed by a program that connected nowhere is not.
func TestArchiveIntoConnection(t *testing.T) {
	for _, c := range []struct {
		name      string
		connected bool
		want      bool
	}{
		{"the reader connected out", true, true},
		{"the reader connected nowhere", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			e.Observe(s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/python3.11", "python3", "-c", "import socket"), s.tree)
			if c.connected {
				e.Observe(s.connect(210, 201, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
			}
			fs := e.Observe(s.exec(211, 210, 33, "www-data", "/", "/usr/bin/tar", "tar", "czf", "-", "-C", "/", "srv/app/conf"), s.tree)
			if got := findingOf(fs, "archive-staging") != nil; got != c.want {
				t.Errorf("archive-staging: %v, want %v (%v)", got, c.want, ids(fs))
			}
		})
	}
}
