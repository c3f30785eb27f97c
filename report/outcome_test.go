package report

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestOutcomeOfRequests: an access-log line's status is its act's outcome:
// a refused or failed request is an attempt, said with its status.
func TestOutcomeOfRequests(t *testing.T) {
	for _, c := range []struct {
		status       int
		want, reason string
	}{
		{200, OutcomeSuccess, ""},
		{302, OutcomeSuccess, ""},
		{401, OutcomeFailure, "HTTP 401"},
		{404, OutcomeFailure, "HTTP 404"},
		{500, OutcomeFailure, "HTTP 500"},
		{0, OutcomeUnknown, ""}, // no status: nothing is known
	} {
		ev := &parser.Event{Kind: parser.KindHTTP, Source: parser.FormatAccessLog, HTTP: &parser.HTTPRequest{Method: "GET", Path: "/manager/html", Status: c.status}}
		if got, why := outcome(ev); got != c.want || why != c.reason {
			t.Errorf("status %d: outcome %q (%q), want %q (%q)", c.status, got, why, c.want, c.reason)
		}
	}
}
