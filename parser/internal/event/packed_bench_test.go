package event

import "testing"

// BenchmarkStorePack packs the events a long log's linking lists keep
// (kept execs, their record text let go as Compact does) into one Store,
// as the timeline does on the scan's consumer goroutine: the cost of the
// store's growth is in it.
func BenchmarkStorePack(b *testing.B) {
	const n = 200000
	evs := make([]*Event, 1000)
	for i := range evs {
		evs[i] = keptExec(i)
		evs[i].Evidence[0].Raw = "" // let go by Compact
	}
	var s Store
	for _, e := range evs {
		s.Pack(e)
	}
	b.SetBytes(int64(n * s.Bytes() / len(evs)))
	b.ReportAllocs()
	for b.Loop() {
		var s Store
		for i := range n {
			s.Pack(evs[i%len(evs)])
		}
	}
}
