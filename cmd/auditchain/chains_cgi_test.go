package main

import (
	"strings"
	"testing"
)

// TestCGIBackdoorVisitorsApart: on the cgi-backdoor capture the attacker
// injected commands through report.php, the script the finance team's
// browsers and tools use all day. Joined by script alone, the visitors'
// report runs sat in the attacker's high chain and its narrative called
// them initial access. Requests to one script from different clients
// (address and user agent) are different entry points: no high chain may
// hold a visitor's request; the attacker's requests through the injection
// and through the backdoor it planted are one chain.
func TestCGIBackdoorVisitorsApart(t *testing.T) {
	var rep struct {
		Chains []struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Requests []struct {
				URL       string `json:"url"`
				UserAgent string `json:"user_agent"`
			} `json:"requests"`
		} `json:"chains"`
	}
	scanInto(t, &rep, "../../testdata/lab/cgi-backdoor/")
	visitors := []string{"Chrome/", "finance-ui/", "kube-probe/"}
	attacker := map[string]bool{}
	for _, c := range rep.Chains {
		high := c.Severity == "high" || c.Severity == "critical"
		for _, r := range c.Requests {
			for _, v := range visitors {
				if high && strings.Contains(r.UserAgent, v) {
					t.Errorf("%s (%s) holds a visitor's request %s (%s)", c.ID, c.Severity, r.URL, r.UserAgent)
				}
			}
			if strings.HasPrefix(r.UserAgent, "python-requests/") && (strings.HasPrefix(r.URL, "/report.php") || strings.HasPrefix(r.URL, "/help.php")) {
				attacker[c.ID] = true
			}
		}
	}
	if len(attacker) != 1 {
		t.Errorf("the attacker's requests through report.php and help.php are in %d chains, want one: %v", len(attacker), attacker)
	}
}
