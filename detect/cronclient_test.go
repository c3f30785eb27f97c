package detect

import "testing"

// TestWebAccountCronClient: the web account's cron job running an
// interpreter on a script installed among the system's programs (a Tcl
// newsletter mailer calling a mail API, benign-shop-promo) is the
// program's own client, as a PHP or Python one was; the same interpreter
// on a script in a temporary folder connecting out is a beacon. A connect
// to port 0 (a datagram association dissolved, a route probe) reaches
// nobody and is no channel at all.
func TestWebAccountCronClient(t *testing.T) {
	for _, c := range []struct {
		name   string
		script string
		port   int
		want   bool
	}{
		{"installed Tcl script to its API", "/usr/local/lib/shop/newsletter.tcl", 8025, false},
		{"installed Lua script", "/usr/share/shop/ping.lua", 8025, false},
		{"Tcl script in /tmp", "/tmp/.n.tcl", 4452, true},
		{"a connect to port 0", "/tmp/.n.tcl", 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(100, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
			s.exec(101, 100, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", "/usr/bin/tclsh "+c.script)
			interp := "/usr/bin/tclsh8.6"
			if c.script[len(c.script)-4:] == ".lua" {
				interp = "/usr/bin/lua5.4"
			}
			s.exec(102, 101, 33, "www-data", "/var/www", interp, interp, c.script)
			got := findingOf(e.Observe(s.connect(102, 101, 33, interp, "127.0.0.1", c.port), s.tree), "web-reverse-shell-connect") != nil
			if got != c.want {
				t.Errorf("web-reverse-shell-connect %v, want %v", got, c.want)
			}
		})
	}
}

// TestOwnSiteFetch: a fetch from this host's own web server (loopback on
// the default port: a pseudo-cron request, a cache warmer reading the
// sitemap, benign-shop-media) brings nothing in; a fetch from another
// loopback port (a server the intrusion started there) or another address
// is a download.
func TestOwnSiteFetch(t *testing.T) {
	for _, c := range []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1/sitemap.xml", false},
		{"http://127.0.0.1:80/shop-cron.php", false},
		{"https://127.0.0.1:443/x", false},
		{"http://127.0.0.1:8000/kworkerds", true},
		{"http://127.0.0.1:8080/x", true},
		{"http://127.0.0.1:4443/x", true},
		{"http://10.20.30.40/x", true},
		{"http://203.0.113.9:80/x", true},
	} {
		got := findingOf(execAs(t, 33, "/var/www/html", "/usr/bin/curl", "curl", "-fsS", c.url), "ingress-tool-download") != nil
		if got != c.want {
			t.Errorf("curl %s: ingress-tool-download %v, want %v", c.url, got, c.want)
		}
	}
}
