package detect

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A web shell is tried as soon as it lands: the intruder writes a script
// into the served tree (an upload, a template, an XSLT's exsl:document,
// an overwritten WSGI script) and then asks it to echo a marker
// (tallyhall-xslt's `echo scale-ok`, docket-exhibit's `echo trail-ok`,
// berthplan-rules' `echo tide-ok`). The same echo with nothing planted
// before it is an injection being probed (apache-eval's `echo ev-42`),
// stage 1; just after a landing it is the planted code being tried, stage
// 2. What tells them apart is the order: a script a rule flagged as
// written or changed in a served tree by or for a web server on the host
// within landingWindow before the echo.

// landingWindow is how long after a script lands an echoed marker is
// taken for trying it.
const landingWindow = 10 * time.Minute

// landingRules are the rules whose finding plants a script in a served tree.
var landingRules = []string{"webroot-script-write", "webroot-script-modified"}

// maxLandedHosts bounds the hosts remembered (cleared when full).
const maxLandedHosts = 4096

// noteLanding remembers when a script was planted for a web server.
func (s *state) noteLanding(f *Finding, forWeb bool) {
	if f == nil || !forWeb || f.Event == nil || f.Event.Failed() || f.Event.Kind != parser.KindFileWrite && f.Event.Kind != parser.KindRename {
		return
	}
	if !slices.ContainsFunc(f.RuleIDs, func(id string) bool { return slices.Contains(landingRules, id) }) {
		return
	}
	if s.landed == nil || len(s.landed) >= maxLandedHosts {
		s.landed = map[string]landing{}
	}
	// kept past the event: its own copy, not a view of the record's text
	s.landed[f.Host] = landing{f.Event.Time, strings.Clone(f.Event.Path)}
}

// landing is the last script planted in a served tree on a host.
type landing struct {
	at   time.Time
	path string
}

// landedBefore reports whether a script landed on ev's host within
// landingWindow before ev.
func (s *state) landedBefore(ev *parser.Event) bool {
	p, _ := s.landedPath(ev)
	return p != ""
}

// landedPath returns the script that landed on ev's host within
// landingWindow before ev and when, or "".
func (s *state) landedPath(ev *parser.Event) (string, time.Time) {
	l, ok := s.landed[ev.Host]
	if d := ev.Time.Sub(l.at); !ok || d < 0 || d > landingWindow {
		return "", time.Time{}
	}
	return l.path, l.at
}

// listers only show a file or a folder: a look at what was planted.
var listers = map[string]bool{"ls": true, "stat": true, "file": true, "cat": true, "head": true, "wc": true, "md5sum": true, "sha256sum": true}

// triesLanded reports whether a shell command is a marker echoed, then only
// a look at the script that just landed or its folder (`echo etag-ok; ls
// -la …/middleware`: hivelog-rpcsend's Rack middleware tried, and checked
// in place). Anything else in it — a path elsewhere, another program, a
// pipe, a redirection — is use, not the test.
func triesLanded(sc, landed string) bool {
	parts := splitSequence(sc)
	if len(parts) < 2 || landed == "" || !wholeProbe.MatchString(parts[0]) {
		return false
	}
	dir := path.Dir(landed)
	for _, part := range parts[1:] {
		if strings.ContainsAny(part, "|<>`$") {
			return false
		}
		f := strings.Fields(part)
		if len(f) < 2 || !listers[path.Base(f[0])] {
			return false
		}
		named := false
		for _, a := range f[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			if a = path.Clean(a); a != landed && a != dir {
				return false
			}
			named = true
		}
		if !named {
			return false
		}
	}
	return true
}
