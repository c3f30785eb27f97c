package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestLabRequestLinksExplainOwnActs reads each finding's "in this chain"
// link where it is a request's: the request must have spawned the
// finding's process or one of its ancestors. A request link found only
// because its quoted command names the finding's address or file (the
// persistence line that mentions the C2 address, linked to the beacon's
// every connect) is a wrong link.
func TestLabRequestLinksExplainOwnActs(t *testing.T) {
	type proc struct {
		PID       int `json:"pid"`
		PPID      int `json:"ppid"`
		Ancestors []struct {
			PID int `json:"pid"`
		} `json:"ancestors"`
	}
	var doc struct {
		Findings []struct {
			ID        string `json:"id"`
			ChainID   string `json:"chain_id"`
			ChainLink string `json:"chain_link"`
			Process   *proc  `json:"process"`
		} `json:"findings"`
		Chains []struct {
			ID       string `json:"id"`
			Requests []struct {
				Time   time.Time `json:"time"`
				Method string    `json:"method"`
				URL    string    `json:"url"`
				PID    int       `json:"pid"`
			} `json:"requests"`
		} `json:"chains"`
	}
	for _, capture := range []string{"tomcat-manager", "nginx-lfi", "apache-eval", "benign-tomcat", "webshell-classic", "webshell-variant", "node-api", "cgi-backdoor", "benign-busy"} {
		t.Run(capture, func(t *testing.T) {
			code, js, stderr := runCLI(t, "", "scan", "--reproducible", "--format", "json", "../../testdata/lab/"+capture+"/")
			if code == 2 {
				t.Fatalf("exit 2: %s", stderr)
			}
			if err := json.Unmarshal([]byte(js), &doc); err != nil {
				t.Fatal(err)
			}
			spawned := map[string][]int{} // chain + "METHOD URL at hh:mm:ss.mmm" → pids
			for _, ch := range doc.Chains {
				for _, r := range ch.Requests {
					if r.PID > 0 {
						k := ch.ID + " " + r.Method + " " + r.URL + " at " + r.Time.UTC().Format("15:04:05.000")
						spawned[k] = append(spawned[k], r.PID)
					}
				}
			}
			for _, f := range doc.Findings {
				rest, ok := strings.CutPrefix(f.ChainLink, "request: ")
				if !ok || f.Process == nil {
					continue
				}
				k, _, _ := strings.Cut(rest, " → ")
				pids, ok := spawned[f.ChainID+" "+k]
				if !ok {
					continue
				}
				mine := map[int]bool{f.Process.PID: true, f.Process.PPID: true}
				for _, a := range f.Process.Ancestors {
					mine[a.PID] = true
				}
				ok = false
				for _, p := range pids {
					ok = ok || mine[p]
				}
				if !ok {
					t.Errorf("%s (pid %d): linked through %q, which spawned %v", f.ID, f.Process.PID, k, pids)
				}
			}
		})
	}
}
