package report

import (
	"encoding/json"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestChainRequestIOCs: a request a high chain's link ties to its process
// by what the records show gives its URL and user agent as IOCs; a link
// inferred (the only request in flight) gives neither: a visitor's agent
// is no indicator.
func TestChainRequestIOCs(t *testing.T) {
	c := attackCase(fixtureOptions{})
	ch := c.Chains[0]
	if len(ch.Requests) < 2 {
		t.Fatalf("fixture chain has %d requests", len(ch.Requests))
	}
	withAgent := func(ev *parser.Event, path, ua string) *parser.Event {
		cp := *ev
		h := *ev.HTTP
		h.Path, h.Query, h.UserAgent = path, "", ua
		cp.HTTP = &h
		return &cp
	}
	observed, inferred := ch.Requests[1], ch.Requests[0]
	observed.Request, observed.Inferred = withAgent(observed.Request, "/uploads/x.php", "sqlmap/1.8"), false
	inferred.Request, inferred.Inferred = withAgent(inferred.Request, "/visitor.php", "VisitorBrowser/1.0"), true
	ch.Requests = append(ch.Requests, observed, inferred)

	var doc struct {
		IOCs []struct {
			Type, Value string
		} `json:"iocs"`
	}
	if err := json.Unmarshal(render(t, "json", Options{}, c), &doc); err != nil {
		t.Fatal(err)
	}
	has := map[[2]string]bool{}
	for _, i := range doc.IOCs {
		has[[2]string{i.Type, i.Value}] = true
	}
	if !has[[2]string{IOCAgent, "sqlmap/1.8"}] || !has[[2]string{IOCURL, "/uploads/x.php"}] {
		t.Errorf("the observed link's agent and URL are not IOCs: %v", doc.IOCs)
	}
	if has[[2]string{IOCAgent, "VisitorBrowser/1.0"}] || has[[2]string{IOCURL, "/visitor.php"}] {
		t.Errorf("an inferred link's request became an IOC: %v", doc.IOCs)
	}
}
