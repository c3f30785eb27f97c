package main

import (
	"strings"
	"testing"
)

// TestCGIBackdoorTunnelSession: on cgi-backdoor the attacker's later
// requests come in through the ssh -R tunnel the backdoor opened (Host
// 127.0.0.1:18070, the tunnel's listen address; the tunnel's ssh connects
// to lighttpd as each starts). What the backdoor ran for them without an
// effect of its own (hostname; the ls of the data has no finding) is the attacker's channel:
// stage 7, said as inferred from the tunnel, and in the attacker's chain.
// Effects through the tunnel (the lateral ssh, the exfiltration) keep
// their own stage.
func TestCGIBackdoorTunnelSession(t *testing.T) {
	var rep struct {
		Findings []struct {
			ID      string `json:"id"`
			Stage   int    `json:"stage"`
			Reason  string `json:"reason"`
			Summary string `json:"summary"`
			ChainID string `json:"chain_id"`
		} `json:"findings"`
	}
	scanInto(t, &rep, "../../testdata/lab/cgi-backdoor/")
	want := map[string]int{"exec /usr/bin/hostname": 7, "exec /usr/bin/tar czf /var/tmp/.r.tgz": 8}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		for prefix, stage := range want {
			if !strings.HasPrefix(f.Summary, prefix) {
				continue
			}
			seen[prefix] = true
			if f.Stage != stage {
				t.Errorf("%s %q: stage %d, want %d (%s)", f.ID, f.Summary, f.Stage, stage, f.Reason)
			}
			if stage == 7 && (!strings.Contains(f.Reason, "reverse tunnel of ssh pid") || f.ChainID != "C01") {
				t.Errorf("%s %q in %s: reason %q", f.ID, f.Summary, f.ChainID, f.Reason)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("findings seen for %v, want all of %v", seen, want)
	}
}
