package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestFiredFor: a re-entry through a backdoor is the plant firing for a
// visitor only when its request came from a client none of the
// intrusion's earlier acts came from and its command runs a file those
// acts left (shop-miner: a customer's product page view starting the
// watchdog the web shell wrote). An attacker back with another user agent
// typing a new command (apache-eval), or the intruder's own client
// running the left file, is the backdoor used.
func TestFiredFor(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 21, 42, 0, 0, time.UTC)
	req := func(client, agent string) *parser.Event {
		return &parser.Event{Kind: parser.KindHTTP, HTTP: &parser.HTTPRequest{Method: "GET", Path: "/products.php", Client: client, UserAgent: agent}}
	}
	const attacker, customer = "python-requests/2.31", "Mozilla/5.0 (Windows NT 10.0) Chrome/124.0"
	left := leftBy{
		files:   map[fileKey]time.Time{{"", "/var/tmp/.ICE-unix/.wd.sh"}: t0},
		clients: map[identity]bool{{"203.0.113.9", attacker}: true},
	}
	proc := func(args ...string) *parser.Process {
		return &parser.Process{Execs: []parser.Exec{{Time: t0.Add(2 * time.Second), Exe: "/usr/bin/dash", Args: args, Cwd: "/var/www/html"}}}
	}
	watchdog := proc("sh", "-c", "nohup setsid sh /var/tmp/.ICE-unix/.wd.sh >/dev/null 2>&1 &")
	recon := proc("sh", "-c", "id; hostname 2>&1")
	for _, c := range []struct {
		name string
		p    *parser.Process
		r    *parser.Event
		want bool
	}{
		{"a visitor's view starts the left watchdog", watchdog, req("198.51.100.4", customer), true},
		{"a new command from an unseen client", recon, req("198.51.100.4", customer), false},
		{"the intruder's own client runs the left file", watchdog, req("203.0.113.9", attacker), false},
		{"no request picked", watchdog, nil, false},
	} {
		if _, got := firedFor(c.p, RequestLink{Request: c.r}, left); got != c.want {
			t.Errorf("%s: firedFor = %v, want %v", c.name, got, c.want)
		}
	}
}
