package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// BenchmarkObserve runs the built-in rules over the lab's events (already
// parsed, with their trees). Compare with BenchmarkParseLab, its rival:
// detection must add at most 30% to parsing.
func BenchmarkObserve(b *testing.B) {
	dir := labCapture(b)
	evs, tree := labEvents(b, dir)
	// One engine for all rounds: New parses YAML (milliseconds) and is
	// paid once per scan, not per event. Later rounds see the lab's
	// processes again, as a long log sees long-lived servers.
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, ev := range evs {
			e.Observe(ev, tree)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}

// BenchmarkParseLab is the parse cost detection is measured against.
func BenchmarkParseLab(b *testing.B) {
	dir := labCapture(b)
	path := auditLog(dir)
	b.ReportAllocs()
	n := 0
	for i := 0; i < b.N; i++ {
		ins, _ := parser.Resolve([]string{path}, nil)
		r := parser.NewReader(ins, parser.Options{Workers: 1})
		n = 0
		r.All(func(*parser.Event) { n++ })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/event")
}
