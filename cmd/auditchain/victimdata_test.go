package main

import (
	"strings"
	"testing"
)

// TestChangedSiteDataTiesNoReader: naming a file that was there before the
// log (its first write in the log changed it) ties no one to whoever
// changed it. shop-search's intruder dropped tables of the shop's
// database; the admin's reindex, which reads that database through the
// same sudo rule the intruder abused, had joined the intrusion's chain by
// it. The attack's own dropped files (nginx-lfi's hook, timestomped after
// it was written) keep tying.
func TestChangedSiteDataTiesNoReader(t *testing.T) {
	var rep struct {
		Findings []struct {
			ID      string `json:"id"`
			Summary string `json:"summary"`
			Time    string `json:"time"`
			ChainID string `json:"chain_id"`
		} `json:"findings"`
	}
	scanInto(t, &rep, "../../testdata/lab/shop-search/")
	attack := ""
	for _, f := range rep.Findings {
		if strings.Contains(f.Summary, "DROP TABLE") {
			attack = f.ChainID
		}
	}
	if attack == "" {
		t.Fatal("no finding on the dropped tables")
	}
	for _, f := range rep.Findings {
		// the admin's two reindex runs: before the attack and after it
		if strings.Contains(f.Summary, "sudo -n /usr/local/bin/shop-reindex") && !strings.Contains(f.Summary, "LD_PRELOAD") && f.ChainID == attack {
			t.Errorf("%s (%s at %s) is in the intrusion's chain %s", f.ID, f.Summary, f.Time, attack)
		}
	}
}
