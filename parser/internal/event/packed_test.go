package event_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/parser/internal/event"
)

// TestPackRoundTrip: every event of real captures comes back from a Store
// equal to the one packed, in every field (unexported ones too), before
// and after Compact, and its process is the same *Process.
func TestPackRoundTrip(t *testing.T) {
	var paths []string
	for _, g := range []string{"../../../testdata/lab/*/audit.log*", "../../../testdata/public/corpus/lab-nginx/audit.log", "../../testdata/auditd/*.log"} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	if len(paths) < 3 {
		t.Fatalf("captures not found: %v", paths)
	}
	ins, _ := parser.Resolve(paths, nil)
	r := parser.NewReader(ins, parser.Options{})
	var s event.Store
	n := 0
	check := func(ev *parser.Event) {
		h := s.Pack(ev)
		got, err := s.Unpack(h)
		if err != nil {
			t.Fatal(err)
		}
		a, b := event.SameButBlock(ev, got)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: unpacked %s", ev.FirstEvidence().Pos, groundtruth.Withheld(filepath.Dir(ev.FirstEvidence().Pos.File), fmt.Sprintf("\n%+v\nwant\n%+v", b, a)))
		}
		if got.Proc != ev.Proc {
			t.Fatalf("%s: another *Process", ev.FirstEvidence().Pos)
		}
		n++
	}
	err := r.All(func(ev *parser.Event) {
		check(ev)
		ev.Retain(parser.KeepFields)
		r.Compact(ev)
		check(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	// times no decoder makes: the zero time, another zone
	for _, at := range []time.Time{{}, time.Date(2026, 12, 5, 1, 2, 3, 4, time.FixedZone("x", 3600))} {
		ev := &parser.Event{Time: at, Args: []string{}, Evidence: []parser.Evidence{{Raw: "a"}, {Raw: "b"}}}
		check(ev)
	}
	if n < 100000 {
		t.Fatalf("%d events: the captures are missing", n)
	}
	t.Logf("%d events, %d bytes packed", n, s.Bytes())
}
