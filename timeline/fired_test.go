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

// TestConfiguredRun: a re-entry through a change of the server's own
// configuration fires the plant when its command runs the program the
// shell that made the change readied (shop-engrave: sendmail_path pointed
// at a wrapper that shell chmod-ed; the next contact form ran it, whoever
// sent it). A command a request carries through such a change names no
// such program, and a per-directory plant is firedFor's.
func TestConfiguredRun(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 19, 54, 38, 0, time.UTC)
	left := leftBy{files: map[fileKey]time.Time{{"", "/usr/lib/php/sendmail-wrapper"}: t0}}
	proc := func(at time.Time, args ...string) *parser.Process {
		return &parser.Process{Execs: []parser.Exec{{Time: at, Exe: "/usr/bin/dash", Args: args, Cwd: "/var/www/html"}}}
	}
	server := backdoorPlant{file: "/etc/php/8.2/fpm/conf.d/99-sendmail.ini", server: true}
	later := t0.Add(70 * time.Second)
	for _, c := range []struct {
		name string
		p    *parser.Process
		pl   backdoorPlant
		want bool
	}{
		{"the configured wrapper runs", proc(later, "sh", "-c", "/usr/lib/php/sendmail-wrapper -t -i"), server, true},
		{"a command a header carried", proc(later, "sh", "-c", "id; uname -n"), server, false},
		{"before the wrapper was readied", proc(t0.Add(-time.Second), "sh", "-c", "/usr/lib/php/sendmail-wrapper -t -i"), server, false},
		{"a per-directory plant", proc(later, "sh", "-c", "/usr/lib/php/sendmail-wrapper -t -i"), backdoorPlant{file: "/var/www/html/.user.ini", config: true}, false},
	} {
		if _, got := configuredRun(c.p, c.pl, left); got != c.want {
			t.Errorf("%s: configuredRun = %v, want %v", c.name, got, c.want)
		}
	}
	for f, want := range map[string]bool{"/etc/php/8.2/fpm/conf.d/99-x.ini": true, "/etc/nginx/sites-available/shop": true, "/etc/apache2/conf-enabled/x.conf": true, "/etc/cron.d/x": false, "/var/www/html/.user.ini": false} {
		if got := serverConfig(f); got != want {
			t.Errorf("serverConfig(%q) = %v, want %v", f, got, want)
		}
	}
}
