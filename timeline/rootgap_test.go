package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestRoutesApart: two web-shell roots whose request links, picked or
// ambiguous, share no route ran for different pages (an admin folder's
// upload page and plugin page): the gap link must not join them. Nor
// must it join roots whose requests share no client (address and user
// agent): the manager's photo upload and an attacker's settings page in
// one back-office folder. A shared candidate route with a shared or
// unknown client, or a root with no request link, tells nothing.
func TestRoutesApart(t *testing.T) {
	req := func(method, p string) *parser.Event {
		return &parser.Event{Kind: parser.KindHTTP, HTTP: &parser.HTTPRequest{Method: method, Path: p}}
	}
	from := func(r *parser.Event, client, agent string) *parser.Event {
		r.HTTP.Client, r.HTTP.UserAgent = client, agent
		return r
	}
	const safari, firefox = "Mozilla/5.0 (Macintosh) Safari/605.1.15", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
	upload, plugins, health := req("POST", "/admin/upload.php"), req("GET", "/admin/plugins.php"), req("GET", "/health.php")
	a, b, c := &parser.Process{}, &parser.Process{}, &parser.Process{}
	for _, tc := range []struct {
		name   string
		la, lb *RequestLink
		want   bool
	}{
		{"two pages", &RequestLink{Request: upload}, &RequestLink{Candidates: []*parser.Event{plugins, req("GET", "/")}}, true},
		{"a route in both", &RequestLink{Candidates: []*parser.Event{upload, health}}, &RequestLink{Candidates: []*parser.Event{plugins, health}}, false},
		{"one page", &RequestLink{Request: upload}, &RequestLink{Request: req("POST", "/admin/upload.php")}, false},
		{"no link", &RequestLink{Request: upload}, nil, false},
		{"a route in both, two clients", &RequestLink{Candidates: []*parser.Event{from(req("POST", "/admin/media.php"), "127.0.0.1", firefox), from(req("GET", "/"), "192.0.2.7", safari)}},
			&RequestLink{Request: from(req("POST", "/admin/products.php"), "127.0.0.1", safari), Candidates: []*parser.Event{from(req("GET", "/"), "192.0.2.9", firefox)}}, true},
		{"a route and a client in both", &RequestLink{Candidates: []*parser.Event{from(req("POST", "/admin/media.php"), "127.0.0.1", firefox), from(req("GET", "/"), "192.0.2.7", safari)}},
			&RequestLink{Candidates: []*parser.Event{from(req("POST", "/admin/media.php"), "127.0.0.1", firefox), from(req("GET", "/"), "192.0.2.9", safari)}}, false},
		{"a route in both, a client unknown", &RequestLink{Candidates: []*parser.Event{from(req("POST", "/admin/media.php"), "127.0.0.1", firefox), req("GET", "/")}},
			&RequestLink{Candidates: []*parser.Event{from(req("GET", "/"), "192.0.2.9", safari)}}, false},
	} {
		l := &linker{cz: causality{execs: map[*parser.Process]RequestLink{}}}
		if tc.la != nil {
			l.cz.execs[a] = *tc.la
		}
		if tc.lb != nil {
			l.cz.execs[b] = *tc.lb
		}
		if got := l.routesApart(a, b); got != tc.want {
			t.Errorf("%s: routesApart = %v, want %v", tc.name, got, tc.want)
		}
		if l.routesApart(a, c) {
			t.Errorf("%s: a root without a link is apart", tc.name)
		}
	}
}

// TestInProcessScript: only a change to a page or include the server
// runs in its own process can take over requests (re-entry); a changed
// shell or Perl script runs when something execs it.
func TestInProcessScript(t *testing.T) {
	for p, want := range map[string]bool{
		"/var/www/html/inc/footer.php":       true,
		"/srv/stock/webapps/stock/print.jsp": true,
		"/var/www/news/bin/maint.sh":         false,
		"/usr/lib/cgi-bin/report.pl":         false,
		"/var/www/html/css/site.css":         false,
	} {
		if got := inProcessScript(p); got != want {
			t.Errorf("inProcessScript(%q) = %v, want %v", p, got, want)
		}
	}
}
