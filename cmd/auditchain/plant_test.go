package main

import (
	"slices"
	"strings"
	"testing"
)

// TestPlantFiresAndItsLoop: on nginx-lfi the web shell writes a git
// post-merge hook; the CI's next deploy runs it, and the hook starts a DNS
// TXT beacon in a background subshell that never execs (its children name
// parent pids the log never shows). The hook's run is its own finding
// (planted-file-run, stage 5) in the intrusion's chain, without the
// deploy's git pull that triggered it; every round of the beacon joins the
// same chain with an inferred link that says why; the TXT lookups are
// command and control; and the access log truncated through the web shell
// is both tampering with the evidence and a stage-8 act of the chain. No
// other capture has a planted file run or a planted loop.
func TestPlantFiresAndItsLoop(t *testing.T) {
	type report struct {
		Findings []struct {
			ID      string   `json:"id"`
			RuleIDs []string `json:"rule_ids"`
			Stage   int      `json:"stage"`
			Summary string   `json:"summary"`
		} `json:"findings"`
		Chains []struct {
			ID     string `json:"id"`
			Stages []struct {
				Stage      int      `json:"stage"`
				FindingIDs []string `json:"finding_ids"`
			} `json:"stages"`
			Links []string `json:"links"`
		} `json:"chains"`
	}
	var rep report
	scanInto(t, &rep, "../../testdata/lab/nginx-lfi/")
	if len(rep.Chains) == 0 {
		t.Fatal("no chain")
	}
	top := rep.Chains[0]
	inTop := map[string]int{} // finding → stage in the top chain
	for _, st := range top.Stages {
		for _, id := range st.FindingIDs {
			inTop[id] = st.Stage
		}
	}
	var fired, beacons, wipe int
	for _, f := range rep.Findings {
		st, ok := inTop[f.ID]
		switch {
		case slices.Contains(f.RuleIDs, "planted-file-run"):
			fired++
			if !ok || st != 5 || !strings.Contains(f.Summary, ".git/hooks/post-merge") {
				t.Errorf("%s %q: in the top chain %v on stage %d, want stage 5", f.ID, f.Summary, ok, st)
			}
		case slices.Contains(f.RuleIDs, "dns-channel-web"):
			beacons++
			if !ok || st != 7 {
				t.Errorf("%s %q: in the top chain %v on stage %d, want stage 7", f.ID, f.Summary, ok, st)
			}
		case slices.Contains(f.RuleIDs, "log-tampering-command"):
			wipe++
			if !ok || st != 8 {
				t.Errorf("%s %q: in the top chain %v on stage %d, want stage 8", f.ID, f.Summary, ok, st)
			}
		case strings.Contains(f.Summary, "git pull"):
			if ok {
				t.Errorf("%s %q: the deploy that ran the hook is in the intrusion's chain", f.ID, f.Summary)
			}
		}
	}
	if fired != 1 || beacons != 9 || wipe != 1 {
		t.Errorf("hook runs %d, TXT lookups %d, log wipes %d: want 1, 9, 1", fired, beacons, wipe)
	}
	loops := 0
	for _, l := range top.Links {
		if strings.Contains(l, "planted loop (inferred):") {
			loops++
		}
	}
	// the first round and the subshell that runs the tasks are hung under
	// the hook's shell by the tree (a subshell inferred from the pids and
	// the shell's command); the eight later rounds join by the loop's link
	if loops < 8 {
		t.Errorf("%d planted-loop links in the top chain, want every later round's", loops)
	}
	for _, dir := range []string{"webshell-classic", "apache-eval", "tomcat-manager", "cgi-backdoor", "benign-busy", "benign-tomcat", "benign-apache"} {
		var other report
		scanInto(t, &other, "../../testdata/lab/"+dir+"/")
		for _, f := range other.Findings {
			if slices.Contains(f.RuleIDs, "planted-file-run") {
				t.Errorf("%s: %s %q: a planted file run where none was planted", dir, f.ID, f.Summary)
			}
		}
		for _, ch := range other.Chains {
			for _, l := range ch.Links {
				if strings.Contains(l, "planted loop") {
					t.Errorf("%s %s: %s", dir, ch.ID, l)
				}
			}
		}
	}
}

// TestSpareShell: a script the chain's own command writes into a web root
// after the chain already has its web shell is a spare backdoor
// (persistence); the first web shell stays the upload, also when a command
// wrote it (cgi-backdoor: command injection dropping its first backdoor).
func TestSpareShell(t *testing.T) {
	type report struct {
		Findings []struct {
			Stage   int    `json:"stage"`
			Summary string `json:"summary"`
			Reason  string `json:"reason"`
		} `json:"findings"`
	}
	for _, c := range []struct {
		dir, file string
		stage     int
	}{
		{"tomcat-manager", "/webapps/docs-api/view.jsp", 2},
		{"tomcat-manager", "/webapps/stock/css/print.jsp", 5},
		{"cgi-backdoor", "/srv/reports/www/cache/.sess.php", 2},
		{"webshell-classic", "/var/www/html/uploads/avatar.php", 2},
	} {
		var rep report
		scanInto(t, &rep, "../../testdata/lab/"+c.dir+"/")
		n := 0
		for _, f := range rep.Findings {
			if !strings.HasPrefix(f.Summary, "write ") && !strings.HasPrefix(f.Summary, "rename ") || !strings.HasSuffix(f.Summary, c.file) {
				continue
			}
			n++
			if f.Stage != c.stage {
				t.Errorf("%s: %q on stage %d, want %d (%s)", c.dir, f.Summary, f.Stage, c.stage, f.Reason)
			}
			if spare := strings.Contains(f.Reason, "spare backdoor"); spare != (c.stage == 5) {
				t.Errorf("%s: %q: reason %q", c.dir, f.Summary, f.Reason)
			}
		}
		if n == 0 {
			t.Errorf("%s: no finding writes %s", c.dir, c.file)
		}
	}
}
