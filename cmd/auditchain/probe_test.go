package main

import (
	"slices"
	"strings"
	"testing"
)

// TestScanProbeIsNoChannel: cgi-backdoor's `nc -z … 127.0.0.1 20-25 …`
// connects to the services it scans. Such a connection is a probe of the
// victim's own service: titled as a scan with T1046 alone, said as
// "probed" in the chain's story, and neither a peer to block nor an IOC
// (it used to be a "Reverse Shell Connection" the intruder "talked to").
func TestScanProbeIsNoChannel(t *testing.T) {
	var rep struct {
		Findings []struct {
			Title   string   `json:"title"`
			Attack  []string `json:"attack"`
			Summary string   `json:"summary"`
		} `json:"findings"`
		IOCs []struct {
			Value string `json:"value"`
		} `json:"iocs"`
		Summary struct {
			Chains []struct {
				Sentences []struct {
					Text string `json:"text"`
				} `json:"sentences"`
			} `json:"chains"`
			Cleanup []struct {
				What string `json:"what"`
			} `json:"cleanup"`
			KeyIOCs []struct {
				Value string `json:"value"`
			} `json:"key_iocs"`
		} `json:"summary"`
	}
	scanInto(t, &rep, "../../testdata/lab/cgi-backdoor/")
	const probed = "127.0.0.1:20"
	n := 0
	for _, f := range rep.Findings {
		if f.Summary != "connect "+probed {
			continue
		}
		n++
		if !strings.HasPrefix(f.Title, "Port Scan") || !slices.Equal(f.Attack, []string{"T1046"}) {
			t.Errorf("probe titled %q with %v", f.Title, f.Attack)
		}
	}
	if n == 0 {
		t.Fatal("no finding for the scan's connect to " + probed)
	}
	said := false
	for _, ch := range rep.Summary.Chains {
		for _, s := range ch.Sentences {
			said = said || strings.Contains(s.Text, "probed "+probed)
			if strings.Contains(s.Text, "connected to "+probed) {
				t.Errorf("story says the intruder connected to the probed service: %s", s.Text)
			}
		}
	}
	if !said {
		t.Error("no sentence says the service was probed")
	}
	for _, c := range rep.Summary.Cleanup {
		if c.What == probed {
			t.Error("the probed service is a peer to block")
		}
	}
	for _, i := range append(rep.IOCs, rep.Summary.KeyIOCs...) {
		if i.Value == probed {
			t.Error("the probed service is an IOC")
		}
	}
}

// TestWorkerPortSweep: apache-eval's injected PHP sweeps 15 local ports
// with fsockopen from the Apache worker itself: no process starts and no
// command line says "scan", but one process reaching 8 ports of a host
// once each within seconds is a sweep (discovery, stage 6).
func TestWorkerPortSweep(t *testing.T) {
	var rep struct {
		Findings []struct {
			RuleIDs []string `json:"rule_ids"`
			StageID string   `json:"stage_id"`
			Reason  string   `json:"reason"`
			Process struct {
				Exe string `json:"exe"`
			} `json:"process"`
		} `json:"findings"`
	}
	scanInto(t, &rep, "../../testdata/lab/apache-eval/")
	for _, f := range rep.Findings {
		if !slices.Contains(f.RuleIDs, "port-scan-fanout") {
			continue
		}
		if f.Process.Exe != "/usr/sbin/apache2" || f.StageID != "lateral-movement" || !strings.Contains(f.Reason, "each once") {
			t.Errorf("sweep by %s on %s: %s", f.Process.Exe, f.StageID, f.Reason)
		}
		return
	}
	t.Error("the worker's own port sweep is not reported")
}
