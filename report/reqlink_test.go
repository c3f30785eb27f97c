package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// TestRequestLinkBasis: a chain's request links say how they were made —
// observed, inferred, or ambiguous with the candidates listed and no
// request named — in JSON, text and HTML.
func TestRequestLinkBasis(t *testing.T) {
	c := attackCase(fixtureOptions{})
	ch := c.Chains[0]
	rls := ch.Requests
	if len(rls) < 2 {
		t.Fatalf("fixture chain has %d requests", len(rls))
	}
	upload, cmd := rls[0], rls[1]
	upload.Basis, upload.Inferred, upload.Reason = timeline.BasisOnly, true, "inferred: the only upload request within 2s of the write"
	cmd.Basis, cmd.Reason = timeline.BasisParameter, "parameter \"id\" of the request is in the command line"
	amb := timeline.RequestLink{Process: cmd.Process, Worker: cmd.Worker, Event: cmd.Event, Basis: timeline.BasisAmbiguous, Inferred: true,
		Candidates: []*parser.Event{upload.Request, cmd.Request}, Reason: "ambiguous: 2 candidates (requests in flight when the process started): …"}
	ch.Requests = []timeline.RequestLink{upload, cmd, amb}

	var doc struct {
		Chains []struct {
			Requests []struct {
				Method     string `json:"method"`
				LinkBasis  string `json:"link_basis"`
				Inferred   bool   `json:"inferred"`
				Candidates []struct {
					Method string `json:"method"`
					URL    string `json:"url"`
				} `json:"candidates"`
			} `json:"requests"`
		} `json:"chains"`
	}
	out := render(t, "json", Options{}, c)
	if err := ValidateJSON(out); err != nil {
		t.Errorf("schema: %v", err)
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Chains[0].Requests
	if len(got) != 3 {
		t.Fatalf("%d requests in the JSON chain, want 3", len(got))
	}
	if got[0].LinkBasis != "only-in-flight" || !got[0].Inferred || got[1].LinkBasis != "parameter-in-argv" || got[1].Inferred {
		t.Errorf("basis/inferred = %+v", got[:2])
	}
	if a := got[2]; a.LinkBasis != "ambiguous" || !a.Inferred || a.Method != "" || len(a.Candidates) != 2 || a.Candidates[1].Method != "GET" {
		t.Errorf("ambiguous entry = %+v", a)
	}

	text := string(render(t, "text", Options{}, c))
	for _, want := range []string{"(ambiguous: 2 candidates)", "(inferred: the only upload request", "(observed: parameter \"id\""} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	html := string(render(t, "html", Options{}, c))
	for _, want := range []string{"(ambiguous: 2 candidates)", ">inferred medium", ">observed high"} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}
