package main

import (
	"strings"
	"testing"
)

// TestDeployBurstOneChain: the files one server process writes in one
// burst into one application folder are one act: tomcat-manager's web-shell
// WAR (view.jsp and the WEB-INF/print.jsp kept for later, with the archive) is
// in the intrusion's chain, not a chain of its own whose way in was "not
// seen"; benign-tomcat's CI redeploy (the archive and its JSPs) is one
// chain, not twelve.
func TestDeployBurstOneChain(t *testing.T) {
	type report struct {
		Findings []struct {
			ID      string `json:"id"`
			Summary string `json:"summary"`
		} `json:"findings"`
		Chains []struct {
			ID     string `json:"id"`
			Stages []struct {
				FindingIDs []string `json:"finding_ids"`
			} `json:"stages"`
		} `json:"chains"`
	}
	for _, c := range []struct {
		dir, folder string
		min         int
	}{
		{"tomcat-manager", "/webapps/docs-api", 2},
		{"benign-tomcat", "/webapps/stock/", 9},
	} {
		var rep report
		scanInto(t, &rep, "../../testdata/lab/"+c.dir+"/")
		chainOf := map[string]string{}
		for _, ch := range rep.Chains {
			for _, st := range ch.Stages {
				for _, id := range st.FindingIDs {
					chainOf[id] = ch.ID
				}
			}
		}
		chains := map[string]bool{}
		n := 0
		for _, f := range rep.Findings {
			if strings.HasPrefix(f.Summary, "write ") && strings.Contains(f.Summary, c.folder) && strings.HasSuffix(f.Summary, ".jsp") {
				n++
				chains[chainOf[f.ID]] = true
			}
		}
		if n < c.min || len(chains) != 1 {
			t.Errorf("%s: %d JSP writes in %s, in %d chains %v: want at least %d, in one chain", c.dir, n, c.folder, len(chains), chains, c.min)
		}
	}
}
