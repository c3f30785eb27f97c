package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestContainerWrappedAccessLog: stage 1-3 evidence read from the access
// lines inside a Docker json-file log is the same as from those lines as a
// plain access-log file (issue: container runtime logs), but for what the
// wrapper's nanosecond times settle: a request the plain log (to the
// second) names, the wrapped one names too; where the plain log leaves a
// write or a process ambiguous among the requests of its second, the
// wrapped one may name the request, and a stage's first sighting may then
// be that request's time.
func TestContainerWrappedAccessLog(t *testing.T) {
	dir := "../../testdata/lab/container"
	logs, _ := filepath.Glob(filepath.Join(dir, "var/lib/docker/containers/*/*-json.log"))
	if len(logs) != 1 {
		t.Fatal("container capture missing")
	}
	// unwrap: the web server's stdout lines, as nginx would have written them
	f, err := os.Open(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var plain strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct{ Log, Stream string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Stream == "stdout" {
			plain.WriteString(rec.Log)
		}
	}
	access := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(access, []byte(plain.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// the host audit log, plain since the re-capture through the request
	// driver (under ~1 MB); gzipped before
	audit := filepath.Join(dir, "audit.log")
	if _, err := os.Stat(audit); err != nil {
		audit += ".gz"
	}
	wrapped := early(t, audit, logs[0])
	unwrapped := early(t, audit, access)
	if len(wrapped) < 4 { // stages 1-3 and at least one request
		t.Fatalf("too little stage 1-3 evidence from the container log: %q", wrapped)
	}
	t.Logf("%d stage 1-3 items", len(wrapped))
	slots := func(items []string) (out []string) {
		for _, it := range items {
			if strings.HasPrefix(it, "stage ") {
				_, fs, _ := strings.Cut(it, ": ")
				out = append(out, it[:len("stage N")]+": "+fs)
			}
		}
		return out
	}
	if w, u := slots(wrapped), slots(unwrapped); !reflect.DeepEqual(w, u) {
		t.Errorf("stage 1-3 findings differ:\nwrapped   %q\nunwrapped %q", w, u)
	}
	named := map[string]bool{}
	for _, it := range wrapped {
		named[it] = true
	}
	for _, it := range unwrapped {
		if !strings.HasPrefix(it, "stage ") && !strings.Contains(it, "Z   0 → ") && !named[it] {
			t.Errorf("the plain log names %q; the wrapped one does not:\nwrapped   %q\nunwrapped %q", it, wrapped, unwrapped)
		}
	}
}

// earlyReport is what the comparison reads of a report.
type earlyReport struct {
	Findings []struct {
		ID     string `json:"id"`
		RuleID string `json:"rule_id"`
		Time   string `json:"time"`
	} `json:"findings"`
	Chains []struct {
		Stages []struct {
			Stage      int      `json:"stage"`
			Observed   bool     `json:"observed"`
			FirstSeen  string   `json:"first_seen"`
			FindingIDs []string `json:"finding_ids"`
		} `json:"stages"`
		Requests []struct {
			Time   string `json:"time"`
			Method string `json:"method"`
			URL    string `json:"url"`
			Status int    `json:"status"`
			PID    int    `json:"pid"`
		} `json:"requests"`
	} `json:"chains"`
}

// early lists the leading chain's stage 1-3 slots (first seen and the
// findings' rules and times) and its requests, in a form that does not
// depend on where the requests were read from.
func early(t *testing.T, paths ...string) []string {
	t.Helper()
	var r earlyReport
	if err := json.Unmarshal(scanJSON(t, paths...), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Chains) == 0 {
		return nil
	}
	byID := map[string]string{}
	for _, f := range r.Findings {
		byID[f.ID] = f.RuleID + "@" + f.Time
	}
	var out []string
	for _, s := range r.Chains[0].Stages[:3] {
		if !s.Observed {
			continue
		}
		var fs []string
		for _, id := range s.FindingIDs {
			fs = append(fs, byID[id])
		}
		out = append(out, fmt.Sprintf("stage %d from %s: %s", s.Stage, s.FirstSeen, strings.Join(fs, " ")))
	}
	for _, q := range r.Chains[0].Requests {
		out = append(out, fmt.Sprintf("%s %s %s %d → pid %d", q.Time, q.Method, q.URL, q.Status, q.PID))
	}
	return out
}
