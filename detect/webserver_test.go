package detect

import (
	"strings"
	"testing"
)

// TestServerCheckMode: a server's binary started to check its
// configuration serves nothing and is no web server; the same binary
// serving, or a worker whose exec the log never showed, still is.
func TestServerCheckMode(t *testing.T) {
	for _, c := range []struct {
		exe, cmd string
		server   bool
	}{
		{"/usr/sbin/varnishd", "varnishd -C -f /etc/varnish/default.vcl", false},
		{"/usr/sbin/varnishd", "varnishd -j unix,user=vcache -F -a :6081 -f /etc/varnish/default.vcl", true},
		{"/usr/sbin/nginx", "nginx -t", false},
		{"/usr/sbin/nginx", "nginx -T -c /etc/nginx/nginx.conf", false},
		{"/usr/sbin/nginx", "nginx -g daemon off;", true},
		{"/usr/sbin/apache2", "/usr/sbin/apache2 -t -D DUMP_VHOSTS", false},
		{"/usr/sbin/apache2", "/usr/sbin/apache2 -k start", true},
		{"/usr/sbin/php-fpm8.2", "php-fpm8.2 --test", false},
		{"/usr/sbin/php-fpm8.2", "php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf", true},
		{"/usr/bin/caddy", "caddy validate --config /etc/caddy/Caddyfile", false},
		{"/usr/bin/caddy", "caddy run --config /etc/caddy/Caddyfile", true},
		// caddy's check is a subcommand: a site named "validate" is no check
		{"/usr/bin/caddy", "caddy run --config validate", true},
		{"/usr/sbin/varnishd", "", true}, // no exec seen: its args are unknown
	} {
		if got := webServerImage(c.exe, "", c.cmd); got != c.server {
			t.Errorf("%s %q: web server %v, want %v", c.exe, c.cmd, got, c.server)
		}
	}
	// the headline rules agree (TestWebServerClassifierMatchesRule): a
	// check run's shell is nobody's request
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(100, 1, 0, "root", "/etc/varnish", "/usr/sbin/varnishd", strings.Fields("varnishd -C -f /etc/varnish/default.vcl")...)
	fs := e.Observe(s.exec(101, 100, 0, "root", "/etc/varnish", "/usr/bin/dash", "sh", "-c", "rm -rf vmod_cache"), s.tree)
	if f := has(fs, "web-server-shell-spawn"); f != nil {
		t.Errorf("varnishd -C's shell: %s fired", f.Title)
	}
}
