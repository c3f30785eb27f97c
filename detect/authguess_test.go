package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestWebLoginGuessing: failures then a success by one client to one
// area is a login won by guessing; a challenge (one 401, then the
// password) or a typo is not; failures alone are reported once, as an
// attempt; another client's success or another area's does not count; a
// page's asset refused (403) is the server's permissions, not a guess.
func TestWebLoginGuessing(t *testing.T) {
	type req struct {
		client, path string
		status       int
		agent        string
		method       string // GET when empty
	}
	fail := func(n int, client, path string) []req {
		var out []req
		for range n {
			out = append(out, req{client, path, 401, "", ""})
		}
		return out
	}
	cat := func(rs ...[]req) []req {
		var out []req
		for _, r := range rs {
			out = append(out, r...)
		}
		return out
	}
	agent := func(rs []req, ua string) []req {
		for i := range rs {
			rs[i].agent = ua
		}
		return rs
	}
	forbid := func(n int, client, path string) []req {
		var out []req
		for range n {
			out = append(out, req{client, path, 403, "", ""})
		}
		return out
	}
	postAll := func(rs []req) []req {
		for i := range rs {
			rs[i].method = "POST"
		}
		return rs
	}
	for _, c := range []struct {
		name  string
		reqs  []req
		want  map[string]int // rule id → findings
		title string         // of the finding, when one
	}{
		{"guessed", cat(fail(5, "198.51.100.7", "/manager/html"), []req{{"198.51.100.7", "/manager/text/list", 200, "", ""}}),
			map[string]int{"web-login-guessed": 1}, "Web Login Won By Password Guessing"},
		// shop-import: an office-only page refused (403) to forged
		// X-Forwarded-For values until one passed: no password was asked
		{"an access rule got around", cat(forbid(4, "198.51.100.7", "/admin/import.php"), []req{{"198.51.100.7", "/admin/import.php", 200, "", ""}}),
			map[string]int{"web-login-guessed": 1}, "Web Access Won After Repeated Refusals"},
		{"a login challenge and a typo", cat(fail(2, "198.51.100.7", "/manager/html"), []req{{"198.51.100.7", "/manager/html", 200, "", ""}}),
			map[string]int{}, ""},
		{"another client's success", cat(fail(5, "198.51.100.7", "/admin/"), []req{{"203.0.113.5", "/admin/", 200, "", ""}}),
			map[string]int{}, ""},
		{"another area's success", cat(fail(5, "198.51.100.7", "/admin/login"), []req{{"198.51.100.7", "/shop/", 200, "", ""}}),
			map[string]int{}, ""},
		{"attempts only, reported once", fail(25, "198.51.100.7", "/wp-login.php"),
			map[string]int{"web-login-guessing": 1}, "Web Login Password Guessing Attempted"},
		// hivelog-rpcsend: a release unpacked with the wrong mode, nginx
		// refusing the stylesheet on every page view and robots.txt to the
		// crawler; a login challenge is counted whatever the file
		{"a page's asset refused again and again", cat(forbid(12, "198.51.100.7", "/static/hive.css"), forbid(12, "198.51.100.7", "/robots.txt?x=1")),
			map[string]int{}, ""},
		// benign-shop-backoffice: one address (the lab's 127.0.0.1, a
		// NAT in life), a scanner refused at /admin, then the staff's
		// browser let in: two clients
		{"a scanner refused, a browser let in", cat(agent(forbid(3, "198.51.100.7", "/admin/exports.php"), "Mozilla/5.0 zgrab/0.x"), []req{{"198.51.100.7", "/admin/exports.php", 200, "Mozilla/5.0 (Macintosh) Safari/605.1.15", ""}}),
			map[string]int{}, ""},
		{"the same tool refused, then let in", cat(agent(fail(4, "198.51.100.7", "/admin/login"), "hydra"), []req{{"198.51.100.7", "/admin/login", 200, "hydra", ""}}),
			map[string]int{"web-login-guessed": 1}, "Web Login Won By Password Guessing"},
		{"a login challenge on an image folder", fail(12, "198.51.100.7", "/private/a.png"),
			map[string]int{"web-login-guessing": 1}, "Web Login Password Guessing Attempted"},
		// benign-shop-trophy: the contact form's posts answered 200, then
		// refused by a hotfix for half a minute, then 200 again after its
		// rollback: the area was open to the client before the refusals
		{"refused after a success, then let in again", cat([]req{{"198.51.100.7", "/contact.php", 200, "", "POST"}}, postAll(forbid(3, "198.51.100.7", "/contact.php")), []req{{"198.51.100.7", "/contact.php", 200, "", "POST"}}),
			map[string]int{}, ""},
		// a login page fetched (GET 200) opens nothing for the posts
		{"the login page fetched, then guessed", cat([]req{{"198.51.100.7", "/admin/login", 200, "", "GET"}}, postAll(fail(4, "198.51.100.7", "/admin/login")), []req{{"198.51.100.7", "/admin/login", 302, "", "POST"}}),
			map[string]int{"web-login-guessed": 1}, "Web Login Won By Password Guessing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			t0 := time.Date(2026, 12, 3, 15, 42, 0, 0, time.UTC)
			got := map[string]int{}
			for i, r := range c.reqs {
				method := r.method
				if method == "" {
					method = "GET"
				}
				ev := &parser.Event{Kind: parser.KindHTTP, Source: parser.FormatAccessLog, Time: t0.Add(time.Duration(i) * time.Second),
					HTTP:     &parser.HTTPRequest{Client: r.client, Method: method, Path: r.path, Status: r.status, UserAgent: r.agent},
					Evidence: []parser.Evidence{{Pos: parser.Pos{File: "access.log", Line: i + 1}, Raw: "x"}}}
				for _, f := range e.Observe(ev, nil) {
					got[f.RuleID]++
					if c.title != "" && f.Title != c.title {
						t.Errorf("title %q, want %q", f.Title, c.title)
					}
					if f.RuleID == "web-login-guessed" && (len(f.Related) < 3 || !strings.Contains(f.Reason, "by 198.51.100.7 to")) {
						t.Errorf("finding without its failures: %d related, reason %q", len(f.Related), f.Reason)
					}
					if f.Stage != StageInitialAccess {
						t.Errorf("%s on stage %v", f.RuleID, f.Stage)
					}
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("findings %v, want %v", got, c.want)
			}
			for k, n := range c.want {
				if got[k] != n {
					t.Errorf("findings %v, want %v", got, c.want)
				}
			}
		})
	}
}
