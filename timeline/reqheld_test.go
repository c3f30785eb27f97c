package timeline

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestAllHeld (rule 2b): of several requests carrying the command's
// value, the one whose every value (two at least) the command line holds
// is named when each other has a value the command line lacks
// altogether (benign-tomcat: two label prints of STRAP-25, copies=1 and
// copies=3, while stocklabel --sku STRAP-25 --copies 1 runs). A value
// found inside a word (w=62 in -thumbnail 62x62) is not lacking, a
// carrier with its one value held may have run it with a default, and
// two carriers all held (the same print twice) decide nothing.
func TestAllHeld(t *testing.T) {
	req := func(target string) reqInfo {
		u, err := url.Parse(target)
		if err != nil {
			t.Fatal(err)
		}
		return reqInfo{ev: &parser.Event{HTTP: &parser.HTTPRequest{Method: "GET", Path: u.Path, Query: u.RawQuery}}}
	}
	label := "/bin/sh /usr/local/bin/stocklabel --sku STRAP-25 --copies 1"
	thumb := "/usr/bin/convert /srv/stock/img/NUT-M8.png -thumbnail 62x62 /srv/stock/cache/NUT-M8-62.png"
	for _, tc := range []struct {
		name string
		cmd  string
		reqs []string
		want int // index of the request named, -1 for none
		held string
	}{
		{"one print's copies held, the other's lacking", label, []string{"/stock/label.jsp?sku=STRAP-25&copies=1", "/stock/label.jsp?sku=STRAP-25&copies=3"}, 0, `"STRAP-25" and "1"`},
		{"the same, in the other order", label, []string{"/stock/label.jsp?sku=STRAP-25&copies=3", "/stock/label.jsp?sku=STRAP-25&copies=1"}, 1, `"STRAP-25" and "1"`},
		{"the same print twice", label, []string{"/stock/label.jsp?sku=STRAP-25&copies=1", "/stock/label.jsp?sku=STRAP-25&copies=1"}, -1, ""},
		{"a carrier of the one value may have run it with a default", label, []string{"/stock/label.jsp?sku=STRAP-25", "/stock/label.jsp?sku=STRAP-25&copies=1"}, -1, ""},
		{"the other's value inside a word is not lacking", thumb, []string{"/stock/item.jsp?sku=NUT-M8&tab=2", "/stock/thumb.jsp?sku=NUT-M8&w=62"}, -1, ""},
		{"a width lacking altogether", thumb, []string{"/stock/thumb.jsp?sku=NUT-M8&w=62", "/stock/thumb.jsp?sku=NUT-M8&w=90"}, -1, ""},
		{"nothing tells it apart: one value only", label, []string{"/stock/item.jsp?sku=STRAP-25", "/stock/label.jsp?sku=STRAP-25&copies=3"}, -1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var infos []reqInfo
			var idx []int
			for k, r := range tc.reqs {
				infos, idx = append(infos, req(r)), append(idx, k)
			}
			i, held, ok := allHeld(idx, infos, newCmdWords(tc.cmd))
			if !ok {
				i = -1
			}
			if i != tc.want || ok && quoteJoin(held) != tc.held {
				t.Errorf("named %d holding %s, want %d holding %s", i, quoteJoin(held), tc.want, tc.held)
			}
		})
	}
	if got := quoteJoin(strings.Fields("a b c")); got != `"a", "b" and "c"` {
		t.Errorf("quoteJoin: %s", got)
	}
}

// TestAllHeldLab: benign-tomcat's stocklabel for STRAP-25, one copy, with
// a three-copy print of the same SKU and four other carriers of it in
// flight, is the one-copy print's, and says why.
func TestAllHeldLab(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-tomcat"), nil)
	rl, found := linkOfExec(t, b.matchRequests(), bySerial, 23095)
	switch {
	case !found || rl.Request == nil:
		t.Fatalf("no request named (%s)", rl.Reason)
	case describeRequest(rl.Request) != "GET /stock/label.jsp?sku=STRAP-25&copies=1":
		t.Errorf("linked to %s (%s)", describeRequest(rl.Request), rl.Reason)
	case rl.Basis != BasisRoute || !rl.Inferred || !strings.Contains(rl.Reason, `"STRAP-25" and "1" are all in the command line`):
		t.Errorf("basis %q inferred %v: %s", rl.Basis, rl.Inferred, rl.Reason)
	}
}
