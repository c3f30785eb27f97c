package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCoverageListsServers: the coverage section of every format says
// which servers were recognised and how, with the record that proved it
// — on the node-api capture, node (in no list) as nginx's upstream.
func TestCoverageListsServers(t *testing.T) {
	const dir = "../../testdata/lab/node-api"
	code, out, errs := runCLI(t, "", "scan", "--format", "json", "--reproducible", "--fail-on", "none", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Coverage struct {
			Servers []struct {
				Image, How, Front, Evidence, User, Describe string
				Port                                        int
			} `json:"servers"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	hows := map[string]string{}
	for _, s := range doc.Coverage.Servers {
		hows[s.Image] = s.How
		if s.Image == "/usr/bin/node" {
			if s.How != "upstream" || s.Port != 3100 || s.Front != "/usr/sbin/nginx" || s.User != "svc-orders" ||
				!strings.HasPrefix(s.Evidence, dir+"/audit.log:") {
				t.Errorf("node: %+v", s)
			}
		}
	}
	if hows["/usr/bin/node"] != "upstream" || hows["/usr/sbin/nginx"] != "name" {
		t.Fatalf("servers: %v", hows)
	}
	for _, format := range []string{"text", "html"} {
		code, out, errs := runCLI(t, "", "scan", "--format", format, "--reproducible", "--fail-on", "none", dir)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		if !strings.Contains(out, "as upstream of nginx on port 3100 ("+dir+"/audit.log:") {
			t.Errorf("%s report does not say how node was recognised", format)
		}
	}
}
