package detect

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Password guessing against a web login shows in the access log alone:
// one client's requests to one protected area answered 401 (or 403)
// again and again, then one that passes (Tomcat's /manager, a CMS's
// /wp-login.php, an admin panel). An HTTP login challenge costs one 401
// (the browser asks, then sends the password) and a typo a second; so
// guessFailures failures by the same client to the same area within
// guessWindow of each other, then a success there within guessWindow, is
// a login won by guessing: the WebLoginGuessed field says so and the
// web-login-guessed rule reports it, with the failures as evidence.
// Failures without a success are attempts: the rule web-login-guessing
// reports them once, when the count reaches guessAttempts, worded as an
// attempt. The tracker follows at most guessKept areas × clients at
// once, the least recent dropped first (counted in Engine.Dropped).
//
// A series a client starts where the same method was answered with
// success just before (within guessWindow) is no guard being got around:
// the area was open to that client, and refusals that begin after a
// success are the server changing (a deploy, a hotfix, an outage), so a
// success after them wins nothing (benign-shop-trophy: a vendor's CSRF
// hotfix refused the contact form's posts for half a minute, then was
// rolled back). The successes are remembered for at most guessKept
// clients × areas × methods, the oldest forgotten first.

const (
	guessFailures = 3
	guessAttempts = 10
	guessWindow   = 10 * time.Minute
	guessKept     = 4096
	guessEvidence = 8 // failures kept as a finding's related evidence
)

// guessKey is one client at one protected area of one host. A client is
// its address and its user agent: a guessing tool keeps its agent from
// one try to the next, and behind one address (a NAT, a proxy, the lab's
// 127.0.0.1) a scanner refused at /admin and the staff's browser let in
// there are two clients (benign-shop-backoffice: zgrab's 403s, then the
// staff's export). A log without agents (the common log format) keys by
// address alone, as before.
type guessKey struct {
	host, client, agent, area string
}

type guessState struct {
	opened    bool // the client's same method succeeded there just before the first refusal
	failures  int
	forbidden int // of the failures, those answered 403: the site's access rules, not a login challenge
	last      time.Time
	evidence  []*parser.Event
	attempted bool // the attempt was reported
}

type authGuess struct {
	m       map[guessKey]*guessState
	order   []guessKey
	dropped int
	// the last success per client, area and method (openKey), at most
	// guessKept keys
	open ringMap[openKey, time.Time]
	// set for the event at hand, before the rules: what it completes
	won       *guessState // a success after guessing
	attempted *guessState // the guessAttempts-th failure
}

// openKey is a series' key with the request method: a login page's GET
// answered 200 opens nothing for the POSTs a guesser sends to it.
type openKey struct {
	guessKey
	method string
}

// area is the protected part of the site a request addresses: its first
// path segment ("/manager" for /manager/text/list), or the script for a
// top-level one ("/wp-login.php").
func area(p string) string {
	p = path.Clean("/" + strings.TrimPrefix(p, "/"))
	if i := strings.IndexByte(p[1:], '/'); i >= 0 {
		return p[:i+1]
	}
	return p
}

// note updates the tracker with an access-log event.
func (g *authGuess) note(ev *parser.Event) {
	g.won, g.attempted = nil, nil
	h := ev.HTTP
	if ev.Kind != parser.KindHTTP || h == nil || h.Client == "" {
		return
	}
	if h.Status == 403 && pageAsset(h.Path) {
		// a stylesheet, an image, robots.txt refused: nobody guesses a
		// password at them, and the same asset refused on every page view
		// is the server's permissions (hivelog-rpcsend: a release unpacked
		// with the wrong mode made nginx answer 403 for hive.css to every
		// visitor, and robots.txt to the crawler, for minutes)
		return
	}
	k := guessKey{ev.Host, h.Client, h.UserAgent, area(h.Path)}
	st := g.m[k]
	if st != nil && ev.Time.Sub(st.last) > guessWindow {
		delete(g.m, k)
		st = nil
	}
	switch {
	case h.Status == 401 || h.Status == 403:
		if st == nil {
			if g.m == nil {
				g.m = map[guessKey]*guessState{}
			}
			if len(g.m) >= guessKept {
				g.evict()
			}
			st = &guessState{}
			if t, ok := g.open.get(openKey{k, h.Method}); ok && ev.Time.Sub(t) <= guessWindow {
				st.opened = true
			}
			g.m[k] = st
			if len(g.order) >= 2*guessKept { // keys that ended: compact
				kept := g.order[:0]
				for _, o := range g.order {
					if _, ok := g.m[o]; ok {
						kept = append(kept, o)
					}
				}
				g.order = kept
			}
			g.order = append(g.order, k)
		}
		st.failures++
		if h.Status == 403 {
			st.forbidden++
		}
		st.last = ev.Time
		if len(st.evidence) < guessEvidence {
			st.evidence = append(st.evidence, ev)
			ev.Retain(parser.KeepText) // quoted as the finding's evidence
		}
		if st.failures == guessAttempts && !st.attempted {
			st.attempted = true
			g.attempted = st
		}
	case h.Status >= 200 && h.Status < 400:
		if st != nil {
			if st.failures >= guessFailures && !st.opened {
				g.won = st
			}
			delete(g.m, k) // a success ends the series either way
		}
		g.open.put(openKey{k, h.Method}, ev.Time, guessKept)
	}
}

// assetExt are the files a page loads besides itself.
var assetExt = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".map": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true,
	".webp": true, ".svg": true, ".ico": true, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
}

// pageAsset reports whether a request path (its query aside) is a page's
// asset or a file every crawler fetches: no login sits behind it.
func pageAsset(p string) bool {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch path.Base(p) {
	case "robots.txt", "favicon.ico", "sitemap.xml", "ads.txt", "security.txt":
		return true
	}
	return assetExt[strings.ToLower(path.Ext(p))]
}

// evict drops the least recently started series still followed.
func (g *authGuess) evict() {
	for len(g.order) > 0 {
		k := g.order[0]
		g.order = g.order[1:]
		if _, ok := g.m[k]; ok {
			delete(g.m, k)
			g.dropped++
			return
		}
	}
}

// guessReason says what the series was, for the finding's reason.
func guessReason(st *guessState, ev *parser.Event) string {
	first := st.evidence[0]
	what := "failed logins (401)"
	switch {
	case st.forbidden == st.failures:
		what = "refusals as forbidden (403)"
	case st.forbidden > 0:
		what = fmt.Sprintf("refusals (%d as a login challenge, 401; %d as forbidden, 403)", st.failures-st.forbidden, st.forbidden)
	}
	return fmt.Sprintf("; %d %s by %s to %s from %s to %s",
		st.failures, what, ev.HTTP.Client, area(ev.HTTP.Path), first.Time.UTC().Format("15:04:05"), st.last.UTC().Format("15:04:05"))
}

// refusedAs says how a series was refused: "challenge" when most refusals
// were 401 (a login asked for and failed: a password guessed), else
// "forbidden" (403: the site's own access rules — an address allow-list,
// a forwarded-for check, a path rule — which a forged header or a path
// trick gets around as well as a password does; the access log does not
// record which).
func refusedAs(st *guessState) string {
	if st == nil {
		return ""
	}
	if 2*st.forbidden > st.failures {
		return "forbidden"
	}
	return "challenge"
}
