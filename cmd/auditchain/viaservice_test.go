package main

import (
	"slices"
	"strings"
	"testing"
)

// TestServiceCommandJoinsClientChain: on shop-export the intruder's psql,
// run in the php-fpm worker's reverse shell with the site's reporting
// password, has PostgreSQL run `COPY … FROM PROGRAM`: the command runs as
// postgres under a backend the log never shows, so no ancestry leads back
// to the web server. The finding cites the psql's connect and the
// backend's accept (the order of events is the whole inference) and its
// chain is the intrusion's, joined by a link that says it was inferred.
// The innocent day of the same shop runs COPY FROM PROGRAM for its own
// feed: nothing there is the intrusion's client, so no such finding.
func TestServiceCommandJoinsClientChain(t *testing.T) {
	type report struct {
		Findings []struct {
			ID       string   `json:"id"`
			RuleIDs  []string `json:"rule_ids"`
			ChainID  string   `json:"chain_id"`
			Reason   string   `json:"reason"`
			Evidence []struct {
				Raw string `json:"raw"`
			} `json:"evidence"`
			Process struct {
				Exe string `json:"exe"`
			} `json:"process"`
		} `json:"findings"`
		Chains []struct {
			ID    string   `json:"id"`
			Links []string `json:"links"`
		} `json:"chains"`
	}
	var rep report
	scanInto(t, &rep, "../../testdata/lab/shop-export/")
	svc, client := "", ""
	for _, f := range rep.Findings {
		if slices.Contains(f.RuleIDs, "service-command-for-intrusion") {
			if svc != "" {
				t.Fatalf("two service commands: %s and %s", svc, f.ChainID)
			}
			svc = f.ChainID
			var connect, accept bool
			for _, e := range f.Evidence {
				connect = connect || strings.Contains(e.Raw, "syscall=42 ") && strings.Contains(e.Raw, `exe="/usr/lib/postgresql/15/bin/psql"`)
				accept = accept || (strings.Contains(e.Raw, "syscall=43 ") || strings.Contains(e.Raw, "syscall=288 ")) && strings.Contains(e.Raw, "postgres")
			}
			if !connect || !accept {
				t.Errorf("%s cites no psql connect (%v) or postgres accept (%v)", f.ID, connect, accept)
			}
			if !strings.Contains(f.Reason, "inferred") {
				t.Errorf("%s: reason %q does not say the tie is inferred", f.ID, f.Reason)
			}
		}
		if f.Process.Exe == "/usr/lib/postgresql/15/bin/psql" && client == "" {
			client = f.ChainID
		}
	}
	if svc == "" || client == "" {
		t.Fatalf("service command in chain %q, psql in chain %q: both must be found", svc, client)
	}
	if svc != client {
		t.Fatalf("the service's command is in chain %s, the psql that reached it in chain %s", svc, client)
	}
	for _, c := range rep.Chains {
		if c.ID != svc {
			continue
		}
		if !slices.ContainsFunc(c.Links, func(l string) bool { return strings.Contains(l, "via service") && strings.Contains(l, "inferred") }) {
			t.Errorf("chain %s links %q: none says the service join and that it is inferred", c.ID, c.Links)
		}
	}
	var benign report
	scanInto(t, &benign, "../../testdata/lab/benign-export/")
	for _, f := range benign.Findings {
		if slices.Contains(f.RuleIDs, "service-command-for-intrusion") {
			t.Errorf("benign-export: %s is called a command for the intrusion's client", f.ID)
		}
	}
}
