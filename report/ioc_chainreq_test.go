package report

import (
	"encoding/json"
	"testing"

	"github.com/auditchain/auditchain/detect"
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

// TestInformationalNoIOC: what only an informational finding outside a
// high chain records (a customer's upload into the web root) is context,
// not an indicator; the same file in a finding of any other severity is
// one (and in a high chain's informational finding, below).
func TestInformationalNoIOC(t *testing.T) {
	for _, c := range []struct {
		sev     detect.Severity
		inChain bool // in the fixture's high chain
		want    bool
	}{
		{detect.SeverityInformational, false, false},
		{detect.SeverityLow, false, true},
		{detect.SeverityInformational, true, true},
	} {
		cs := attackCase(fixtureOptions{})
		up := &parser.Event{Kind: parser.KindRename, Success: true, Time: cs.Findings[0].Time, PID: 4242, Exe: "/usr/sbin/php-fpm8.2",
			OldPath: "/tmp/phpAbC123", Path: "/var/www/html/uploads/mug-blue.png",
			Evidence: []parser.Evidence{{Serial: 99001, Raw: "type=SYSCALL msg=audit(1.000:99001): syscall=82"}}}
		f := &detect.Finding{RuleID: "webroot-file-upload", RuleIDs: []string{"webroot-file-upload"},
			Title: "File Uploaded Into Web Root", Severity: c.sev, Stage: detect.StageInitialAccess, Time: up.Time, Event: up, Source: "rule"}
		cs.Findings = append(cs.Findings, f)
		if c.inChain {
			if cs.Chains[0].Severity < detect.SeverityHigh {
				t.Fatalf("fixture chain is %s", cs.Chains[0].Severity)
			}
			cs.Chains[0].Findings = append(cs.Chains[0].Findings, f)
		}
		var doc struct {
			IOCs []struct{ Type, Value string } `json:"iocs"`
		}
		if err := json.Unmarshal(render(t, "json", Options{}, cs), &doc); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, i := range doc.IOCs {
			found = found || i.Value == "/var/www/html/uploads/mug-blue.png"
		}
		if found != c.want {
			t.Errorf("%s upload (in the high chain: %v): IOC listed %v, want %v", c.sev, c.inChain, found, c.want)
		}
	}
}
