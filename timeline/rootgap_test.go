package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestRoutesApart: two web-shell roots whose request links, picked or
// ambiguous, share no route ran for different pages (an admin folder's
// upload page and plugin page): the gap link must not join them. A shared
// candidate route, or a root with no request link, tells nothing.
func TestRoutesApart(t *testing.T) {
	req := func(method, p string) *parser.Event {
		return &parser.Event{Kind: parser.KindHTTP, HTTP: &parser.HTTPRequest{Method: method, Path: p}}
	}
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
