package timeline

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestPartnerLinks (rule 9): a command started, at every one of its runs,
// by the same server process within partnerGap of one other command is
// that command's partner, and an undecided run of it takes its partner's
// request when the two pair one to one and that request is among its
// candidates (benign-ledger: ps2pdf beside groff, whose -dT carries the
// invoice of GET /invoices/N/pdf). Two pairs started together, a run
// with no partner near it, a partner that is ambiguous itself or served
// by another process, or a request the run's own candidates lack, decide
// nothing.
func TestPartnerLinks(t *testing.T) {
	base := time.Date(2026, 12, 5, 1, 20, 40, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	const rounds = 4
	for _, tc := range []struct {
		name string
		// the round whose layout differs from the others, and how
		odd                              int
		twoPairs, alone, otherSrv, ambig bool
		notCand                          bool
		gap                              time.Duration // the partner's start less the run's (default −40 ms)
		runs                             int           // rounds (default 4)
		want                             []bool        // per round: the run takes its partner's request
	}{
		{name: "every run beside its partner", want: []bool{true, true, true, true}},
		{name: "the partner after the run", gap: 120 * time.Millisecond, want: []bool{true, true, true, true}},
		{name: "two pairs started together", odd: 2, twoPairs: true, want: []bool{true, true, false, true}},
		{name: "one run without its partner: no history", odd: 1, alone: true, want: []bool{false, false, false, false}},
		{name: "the partner served by another process: no history", odd: 1, otherSrv: true, want: []bool{false, false, false, false}},
		{name: "the partner ambiguous itself", odd: 3, ambig: true, want: []bool{true, true, true, false}},
		{name: "the partner's request not among the run's candidates", odd: 0, notCand: true, want: []bool{false, true, true, true}},
		{name: "the partner beyond the gap", gap: -partnerGap - time.Millisecond, want: []bool{false, false, false, false}},
		{name: "too few runs to tell", runs: 2, want: []bool{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := &parser.Process{Key: parser.ProcKey{PID: 14369}, Exe: "/srv/ledger/bin/ledgerd"}
			other := &parser.Process{Key: parser.ProcKey{PID: 14400}, Exe: "/srv/ledger/bin/ledgerd"}
			gap := cmp.Or(tc.gap, -40*time.Millisecond)
			n := cmp.Or(tc.runs, rounds)
			var ms []*rootMatch
			started := map[*parser.Process]time.Time{}
			out := map[*parser.Process]RequestLink{}
			pid := 20000
			run := func(parent *parser.Process, sig string, t0 time.Time) *rootMatch {
				pid++
				m := &rootMatch{root: &parser.Process{Key: parser.ProcKey{PID: pid}, Parent: parent}, sig: sig, ex: &parser.Event{Time: t0}}
				started[m.root] = t0
				ms = append(ms, m)
				return m
			}
			req := func(p string) *parser.Event {
				return &parser.Event{HTTP: &parser.HTTPRequest{Method: "GET", Path: p}}
			}
			var runs []*rootMatch
			var pdfs []*parser.Event
			for k := range n {
				t0 := at(float64(4 * k))
				pdf, page := req(fmt.Sprintf("/invoices/%d/pdf", 1006+k)), req(fmt.Sprintf("/invoices/%d", 1006+k))
				pdfs = append(pdfs, pdf)
				gs := run(srv, "gs -dSAFER", t0)
				runs = append(runs, gs)
				cands := []*parser.Event{page, pdf}
				if tc.notCand && k == tc.odd {
					cands = []*parser.Event{page}
				}
				out[gs.root] = RequestLink{Process: gs.root, Basis: BasisAmbiguous, Inferred: true, Candidates: cands}
				if tc.alone && k == tc.odd {
					continue
				}
				parent := srv
				if tc.otherSrv && k == tc.odd {
					parent = other
				}
				groff := run(parent, "groff -Tps -dT", t0.Add(gap))
				out[groff.root] = RequestLink{Request: pdf, Process: groff.root, Basis: BasisParameter, Confidence: ConfidenceHigh}
				if tc.ambig && k == tc.odd {
					out[groff.root] = RequestLink{Process: groff.root, Basis: BasisAmbiguous, Inferred: true, Candidates: cands}
				}
				if tc.twoPairs && k == tc.odd {
					// a second export of another invoice in the same moment
					pdf2 := req(fmt.Sprintf("/invoices/%d/pdf", 2006+k))
					g2 := run(srv, "groff -Tps -dT", t0.Add(gap+8*time.Millisecond))
					out[g2.root] = RequestLink{Request: pdf2, Process: g2.root, Basis: BasisParameter, Confidence: ConfidenceHigh}
					gs2 := run(srv, "gs -dSAFER", t0.Add(12*time.Millisecond))
					out[gs2.root] = RequestLink{Process: gs2.root, Basis: BasisAmbiguous, Inferred: true, Candidates: append(cands, pdf2)}
				}
			}
			partnerLinks(ms, started, out)
			for k, gs := range runs {
				rl := out[gs.root]
				got := rl.Request == pdfs[k]
				if got != tc.want[k] {
					t.Errorf("round %d: request %v (%s), want its partner's: %v", k, rl.Request != nil, rl.Reason, tc.want[k])
				}
				if got && (rl.Basis != BasisPartner || !rl.Inferred || rl.Confidence != ConfidenceMedium || !strings.Contains(rl.Reason, "one handler's commands")) {
					t.Errorf("round %d: basis %q inferred %v confidence %q: %s", k, rl.Basis, rl.Inferred, rl.Confidence, rl.Reason)
				}
				if !got && rl.Request != nil {
					t.Errorf("round %d: named %s (%s)", k, describeRequest(rl.Request), rl.Reason)
				}
			}
		})
	}
}

// TestPartnerLinksLab: benign-ledger's PDF export runs groff (its -dT
// names the invoice of GET /invoices/N/pdf) and ps2pdf, whose gs reads
// its stdin and named no request among the five in flight in a log to the
// second; benign-desk's ticket with an attachment runs the thumbnail's
// convert beside the notification's sendmail, which names the ticket.
// Each takes its partner's request, saying so.
func TestPartnerLinksLab(t *testing.T) {
	for _, tc := range []struct {
		capture string
		serial  uint64
		path    string
		partner string
	}{
		{"benign-ledger", 102884, "/invoices/1006/pdf", "groff -Tps -dT"},
		{"benign-desk", 58901, "/ticket.php", "sendmail"},
	} {
		t.Run(tc.capture, func(t *testing.T) {
			b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", tc.capture), nil)
			cz := b.matchRequests()
			rl, found := linkOfExec(t, cz, bySerial, tc.serial)
			switch {
			case !found || rl.Request == nil:
				t.Errorf("serial %d: no request named (%s)", tc.serial, rl.Reason)
			case rl.Request.HTTP.Path != tc.path:
				t.Errorf("serial %d: linked to %s, want %s (%s)", tc.serial, describeRequest(rl.Request), tc.path, rl.Reason)
			case rl.Basis != BasisPartner || !strings.Contains(rl.Reason, tc.partner):
				t.Errorf("serial %d: basis %q, reason %q", tc.serial, rl.Basis, rl.Reason)
			}
			t.Log(rl.Reason)
		})
	}
}
