package timeline

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRequestTunnel: on cgi-backdoor the attacker's requests came in
// through the ssh -R tunnel the backdoor opened (Host 127.0.0.1:18070, the
// tunnel's listen address; the tunnel's ssh connects to lighttpd's
// 127.0.0.1:8070 as each starts); the visitors' requests did not.
func TestRequestTunnel(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "cgi-backdoor"), nil)
	cz := b.matchRequests()
	for _, tc := range []struct {
		name   string
		serial uint64
		tunnel bool
		conn   string // the connect named
	}{
		{"hostname through the tunnel", 8576, true, "10:47:00.730"},
		{"ls -la /srv/reports/data through the tunnel", 8619, true, "10:47:02.566"},
		{"tar of the data through the tunnel", 8907, true, "10:47:13.358"},
		{"backdoor id before the tunnel", 8076, false, ""},
		{"a visitor's report", 7313, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl, found := linkOfExec(t, cz, bySerial, tc.serial)
			if !found || rl.Request == nil {
				t.Fatalf("serial %d: no request link (%s)", tc.serial, rl.Reason)
			}
			if got := rl.Tunnel != nil; got != tc.tunnel {
				t.Fatalf("serial %d: tunnel %v, want %v (%s)", tc.serial, got, tc.tunnel, rl.Reason)
			}
			if tc.tunnel && (!strings.HasPrefix(rl.TunnelReason, "inferred: came in through the reverse tunnel of ssh pid") ||
				!strings.Contains(rl.TunnelReason, "at "+tc.conn) || !strings.Contains(rl.Reason, rl.TunnelReason)) {
				t.Errorf("serial %d: reason %q", tc.serial, rl.TunnelReason)
			}
		})
	}
}

func TestReverseForward(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		specs []string
	}{
		{[]string{"ssh", "-N", "-R", "127.0.0.1:18070:127.0.0.1:8070", "u@h"}, []string{"127.0.0.1:18070:127.0.0.1:8070"}},
		{[]string{"ssh", "-R9000:localhost:80", "-L", "1:a:2", "h"}, []string{"9000:localhost:80"}},
		{[]string{"ssh", "-R"}, nil},
	} {
		if got := reverseForwards(tc.args); strings.Join(got, ",") != strings.Join(tc.specs, ",") {
			t.Errorf("reverseForwards(%q) = %q, want %q", tc.args, got, tc.specs)
		}
	}
	for _, tc := range []struct {
		spec, vhost string
		ok, listens bool
	}{
		{"127.0.0.1:18070:127.0.0.1:8070", "127.0.0.1:18070", true, true},
		{"127.0.0.1:18070:127.0.0.1:8070", "127.0.0.1:8070", true, false},
		{"18070:localhost:8070", "localhost:18070", true, true},
		{"0.0.0.0:18070:localhost:8070", "evil.example:18070", true, true},
		{"10.0.0.5:18070:localhost:8070", "10.0.0.6:18070", true, false},
		{"/tmp/sock:localhost:80", "", false, false},
		{"x:y", "", false, false},
	} {
		bind, port, _, _, ok := parseForward(tc.spec)
		if ok != tc.ok {
			t.Errorf("parseForward(%q) ok = %v", tc.spec, ok)
			continue
		}
		if ok {
			tn := &tunnel{bind: bind, port: port}
			if got := tn.listens(tc.vhost); got != tc.listens {
				t.Errorf("-R %s listens on %q = %v, want %v", tc.spec, tc.vhost, got, tc.listens)
			}
		}
	}
}
