package report

import (
	"strconv"
	"time"

	"github.com/auditchain/auditchain/detect"
)

// DocAllowlisted accounts for what --allowlist kept out of the findings:
// an allowlist decides what the report leaves out, so what it left out is
// counted and listed (the first detect.MaxAllowedListed), never silent. The
// allowlist file itself is among the inputs, with its SHA-256.
type DocAllowlisted struct {
	Total   int             `json:"total"`
	Matches []DocAllowMatch `json:"matches"`
}

// DocAllowMatch is one suppressed rule match.
type DocAllowMatch struct {
	RuleID    string    `json:"rule_id"`
	EntryLine int       `json:"entry_line"` // the allowlist entry that matched
	Reason    string    `json:"reason,omitempty"`
	Time      time.Time `json:"time"`
	Host      string    `json:"host"`
	PID       int       `json:"pid,omitempty"`
	Summary   string    `json:"summary"`
	File      string    `json:"file,omitempty"`
	Line      int       `json:"line,omitempty"`
}

func allowlistedDoc(m *detect.AllowedMatches) *DocAllowlisted {
	if m == nil || m.Total == 0 {
		return nil
	}
	d := &DocAllowlisted{Total: m.Total, Matches: make([]DocAllowMatch, 0, len(m.List))}
	for _, a := range m.List {
		dm := DocAllowMatch{RuleID: valid(a.RuleID), EntryLine: a.Entry, Reason: valid(a.Reason)}
		if ev := a.Event; ev != nil {
			dm.Time, dm.Host, dm.PID, dm.Summary = utc(ev.Time), valid(ev.Host), ev.PID, valid(summarize(ev))
			pos := ev.FirstEvidence().Pos
			dm.File, dm.Line = valid(pos.File), pos.Line
		}
		d.Matches = append(d.Matches, dm)
	}
	return d
}

// allowlisted prints the suppressed matches after the IOCs.
func (t *textRenderer) allowlisted() {
	a := t.d.Allowlisted
	if a == nil {
		return
	}
	t.heading("Allowlisted (" + strconv.Itoa(a.Total) + " rule matches not reported as findings)")
	for _, m := range a.Matches {
		why := ""
		if m.Reason != "" {
			why = ": " + sanitize(m.Reason)
		}
		t.printf("  %s  %s (allowlist line %d%s)  %s\n", fmtTime(m.Time, t.opts.tz()), sanitize(m.RuleID), m.EntryLine, why,
			shorten(sanitize(m.Summary), 100))
	}
	if more := a.Total - len(a.Matches); more > 0 {
		t.printf("  … and %d more\n", more)
	}
}
