package main

import (
	"strings"
	"testing"
)

// TestReentryThroughBackdoor: on cgi-backdoor the attacker plants
// .user.ini (auto_prepend_file) and comes back with GET /help.php, a page
// that ran nothing before: each such request is marked as a re-entry
// through the planted file, with its evidence, and the chain's summary
// tells it in a sentence of its own. The benign requests to /status.php
// (under the same folder, running uptime since before the plant) are not
// re-entries, and no other capture has any.
func TestReentryThroughBackdoor(t *testing.T) {
	type report struct {
		Chains []struct {
			ID       string `json:"id"`
			Requests []struct {
				URL      string   `json:"url"`
				Args     []string `json:"args"`
				Backdoor string   `json:"backdoor"`
				Reason   string   `json:"reason"`
			} `json:"requests"`
		} `json:"chains"`
		Summary struct {
			Chains []struct {
				Sentences []struct {
					Text string `json:"text"`
				} `json:"sentences"`
			} `json:"chains"`
		} `json:"summary"`
	}
	for _, c := range []struct {
		dir  string
		want bool
	}{
		{"cgi-backdoor", true},
		{"node-api", false},
		{"webshell-classic", false},
		{"benign-busy", false},
	} {
		var rep report
		scanInto(t, &rep, "../../testdata/lab/"+c.dir+"/")
		n := 0
		for _, ch := range rep.Chains {
			for _, r := range ch.Requests {
				if r.Backdoor == "" {
					continue
				}
				n++
				if r.Backdoor != "/srv/reports/www/.user.ini" || !strings.HasPrefix(r.URL, "/help.php") {
					t.Errorf("%s: %s marked as re-entry through %s", c.dir, r.URL, r.Backdoor)
				}
				if !strings.Contains(r.Reason, "never ran") || !strings.Contains(r.Reason, "under /srv/reports/www/.user.ini") {
					t.Errorf("%s: re-entry reason without its evidence: %s", c.dir, r.Reason)
				}
			}
		}
		said := false
		for _, ch := range rep.Summary.Chains {
			for _, s := range ch.Sentences {
				said = said || strings.HasPrefix(s.Text, "Re-entry through the backdoor ")
			}
		}
		if c.want && (n == 0 || !said) {
			t.Errorf("%s: %d re-entries, sentence said %v", c.dir, n, said)
		}
		if !c.want && (n > 0 || said) {
			t.Errorf("%s: %d re-entries where the capture has none", c.dir, n)
		}
	}
}
