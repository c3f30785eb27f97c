package proctree

import (
	"math/rand/v2"
	"testing"
)

// The paged pid index answers like a map whatever it holds in memory: the
// pages evicted to its file come back with what they held, pages without
// entries are dropped, and no more than its bound of pages stay in memory.
func TestPIDIndexLikeAMap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pages int    // pages kept in memory
		span  uint64 // keys drawn from [0, span) of up to three hosts
		ops   int
	}{
		{"one page in memory, keys over many pages", 1, 8 * pidPageLen, 20000},
		{"two pages, keys in three", 2, 3 * pidPageLen, 20000},
		{"bound never reached", 64, 4 * pidPageLen, 5000},
		{"sparse keys", 3, 1 << 22, 20000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var failed error
			x := newPIDIndex(t.TempDir(), tc.pages, func(err error) { failed = err })
			defer x.close()
			model := map[uint64]int32{}
			ppids := map[uint64]int32{} // the parent pid beside each record
			marks := map[uint64]int32{} // and the mark
			rng := rand.New(rand.NewPCG(uint64(tc.pages), tc.span))
			key := func() uint64 { return uint64(rng.IntN(3))<<32 | rng.Uint64N(tc.span) }
			for i := range tc.ops {
				k := key()
				switch rng.IntN(4) {
				case 0, 1:
					r := rng.Int32N(1 << 30)
					x.set(k, r) // keeps the parent pid a record had
					if !hasKey(model, k) {
						ppids[k], marks[k] = 0, 0
					}
					model[k] = r
				case 2:
					x.del(k)
					delete(model, k)
					delete(ppids, k)
					delete(marks, k)
				default:
					batch := make([]pidRec, 1+rng.IntN(50))
					for j := range batch {
						batch[j] = pidRec{key(), rng.Int32N(1 << 30), rng.Int32N(1 << 22), rng.Int32N(1 << 30), rng.Int32N(1 << 16)}
						model[batch[j].key] = batch[j].r
						ppids[batch[j].key] = batch[j].ppid
						marks[batch[j].key] = batch[j].mark
					}
					x.setSorted(batch)
				}
				if len(x.res) > tc.pages {
					t.Fatalf("op %d: %d pages in memory, bound %d", i, len(x.res), tc.pages)
				}
				if got, ok := x.get(k); ok != hasKey(model, k) || ok && got != model[k] {
					t.Fatalf("op %d: key %#x: got %d,%t want %d", i, k, got, ok, model[k])
				}
				if got, ok := x.ppid(k); ok != hasKey(model, k) || ok && got != ppids[k] {
					t.Fatalf("op %d: key %#x: parent pid %d,%t want %d", i, k, got, ok, ppids[k])
				}
				if got, _, ok := x.mark(k); ok != hasKey(model, k) || ok && got != marks[k] {
					t.Fatalf("op %d: key %#x: mark %d,%t want %d", i, k, got, ok, marks[k])
				}
			}
			if failed != nil {
				t.Fatal(failed)
			}
			pages := map[uint64]bool{}
			for k, r := range model {
				pages[k>>pidPageBits] = true
				if got, ok := x.get(k); !ok || got != r {
					t.Fatalf("key %#x: got %d,%t want %d", k, got, ok, r)
				}
			}
			if len(x.dir) != len(pages) {
				t.Errorf("%d pages listed, %d hold entries", len(x.dir), len(pages))
			}
			if tc.pages < len(pages) && x.writes == 0 {
				t.Errorf("no page went to the file: the test does not exercise eviction")
			}
		})
	}
}

func hasKey(m map[uint64]int32, k uint64) bool { _, ok := m[k]; return ok }

// A spilling tree whose pid index keeps one page in memory (the random
// histories use two hosts, so every other lookup reads a page back) builds
// the same tree as one kept in memory.
func TestSpillSameTreeOnePIDPage(t *testing.T) {
	dir := t.TempDir()
	reads := 0
	for seed := range uint64(100) {
		evs := randomEvents(rand.New(rand.NewPCG(seed, 11)), 300)
		want := spillDump(buildTree(evs, 0, ""))
		tr := NewTree()
		tr.SpillTo(dir, 3)
		tr.spill.idx.max = 1
		for _, e := range evs {
			c := *e
			tr.Observe(&c)
		}
		if err := tr.Err(); err != nil {
			t.Fatal(err)
		}
		reads += tr.spill.idx.reads
		if got := spillDump(tr); got != want {
			t.Fatalf("seed %d: tree differs", seed)
		}
		tr.Close()
	}
	if reads == 0 {
		t.Error("no index page was read back: the test does not exercise the page file")
	}
}
