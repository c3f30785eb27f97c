package detect

import (
	"slices"
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
		s.landed = map[string]time.Time{}
	}
	s.landed[f.Host] = f.Event.Time
}

// landedBefore reports whether a script landed on ev's host within
// landingWindow before ev.
func (s *state) landedBefore(ev *parser.Event) bool {
	at, ok := s.landed[ev.Host]
	d := ev.Time.Sub(at)
	return ok && d >= 0 && d <= landingWindow
}
