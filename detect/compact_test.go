package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// Every event a finding cites keeps its record text when scan lets the
// text of other events go (parser.Event.Compact after the engine saw it):
// here every event is compacted, not only those the timeline keeps.
func TestFindingsKeepRawText(t *testing.T) {
	n := 0
	for _, dir := range labCaptures(t) {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		ins, _ := parser.Resolve([]string{auditLog(dir)}, nil)
		r := parser.NewReader(ins, parser.Options{})
		var fs []*Finding
		if err := r.All(func(ev *parser.Event) {
			fs = append(fs, e.Observe(ev, r.Tree())...)
			ev.Compact()
		}); err != nil {
			t.Fatal(err)
		}
		r.Close()
		for _, f := range fs {
			for _, ev := range append([]*parser.Event{f.Event}, f.Related...) {
				if ev != nil && len(ev.Evidence) > 0 && ev.Evidence[0].Raw == "" {
					t.Errorf("%s: %s at %s cites serial %d without its text", dir, f.RuleID, f.Time, ev.Serial)
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no finding cites an event")
	}
}
