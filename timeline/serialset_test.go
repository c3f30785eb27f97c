package timeline

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

// refGaps is serialGaps as it was, on blocks of pointers with full times:
// the reference the compact serialSet must report as.
func refGaps(serials []uint64, times []time.Time, gap uint64) []note {
	type blk struct {
		bits  uint64
		first time.Time
	}
	blocks := map[uint64]*blk{}
	for n, s := range serials {
		b := blocks[s>>6]
		if b == nil {
			b = &blk{first: times[n]}
			blocks[s>>6] = b
		}
		b.bits |= 1 << (s & 63)
		if times[n].Before(b.first) {
			b.first = times[n]
		}
	}
	var idx []uint64
	for i := range blocks {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(a, b int) bool { return idx[a] < idx[b] })
	var out []note
	var prev uint64
	have := false
	for _, i := range idx {
		for j := uint64(0); j < 64; j++ {
			if blocks[i].bits&(1<<j) == 0 {
				continue
			}
			if s := i<<6 | j; have && s > prev+1+gap && len(out) < 10 {
				at := blocks[i].first
				out = append(out, note{at, fmt.Sprintf("%d-%d %s", prev+1, s-1, stamp(at))})
			}
			prev, have = i<<6|j, true
		}
	}
	return out
}

// TestSerialSet: the serials kept as 16-byte blocks report the same gaps,
// at the same times, as the blocks of pointers did: serials out of order
// (a blocking syscall's record written late, with an earlier serial and a
// later time, or an earlier time), blocks revisited after others, and
// times that do not fit in Unix nanoseconds (a hostile record's year).
func TestSerialSet(t *testing.T) {
	base := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	far := time.Date(3000, 1, 1, 0, 0, 0, 123, time.UTC)  // after 2262
	past := time.Date(1600, 1, 1, 0, 0, 0, 456, time.UTC) // before 1678
	type rec struct {
		serial uint64
		at     time.Time
	}
	seq := func(from, to uint64, at time.Time) []rec {
		var rs []rec
		for s := from; s <= to; s++ {
			rs = append(rs, rec{s, at.Add(time.Duration(s) * time.Millisecond)})
		}
		return rs
	}
	cat := func(parts ...[]rec) []rec {
		var rs []rec
		for _, p := range parts {
			rs = append(rs, p...)
		}
		return rs
	}
	cases := []struct {
		name string
		recs []rec
		gap  uint64
		gaps int // reported, of at most 10
	}{
		{name: "no gap", recs: seq(1, 500, base), gap: 100, gaps: 0},
		{name: "copies 5000 apart", recs: cat(seq(1, 460, base), seq(5001, 5460, base.Add(2*time.Minute)), seq(10001, 10460, base.Add(4*time.Minute))), gap: 1000, gaps: 2},
		{name: "a late serial fills the gap", recs: cat(seq(1, 100, base), seq(2000, 2100, base), []rec{{1000, base.Add(time.Hour)}}), gap: 1000, gaps: 0},
		{name: "an earlier time comes later in a block", recs: cat(seq(1, 10, base), seq(3000, 3010, base.Add(time.Minute)), []rec{{3005, base.Add(-time.Minute)}}, seq(3011, 3020, base)), gap: 100, gaps: 1},
		{name: "blocks revisited", recs: cat(seq(1, 50, base), seq(5000, 5050, base), seq(51, 70, base.Add(-time.Second)), seq(5051, 5060, base.Add(-time.Hour))), gap: 10, gaps: 1},
		{name: "a year past 2262", recs: cat(seq(1, 10, base), []rec{{900, far}}, seq(901, 910, base)), gap: 100, gaps: 1},
		{name: "a year before 1678, then a later one", recs: cat(seq(1, 10, base), []rec{{900, past}, {901, base}}, seq(3000, 3001, far)), gap: 100, gaps: 2},
		{name: "an odd time replaced by an earlier one", recs: cat(seq(1, 10, base), []rec{{900, far}, {901, base.Add(-time.Hour)}}), gap: 100, gaps: 1},
		{name: "more than ten gaps", recs: func() []rec {
			var rs []rec
			for c := uint64(0); c < 14; c++ {
				rs = append(rs, seq(c*3000, c*3000+20, base.Add(time.Duration(c)*time.Minute))...)
			}
			return rs
		}(), gap: 1000, gaps: 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{SerialGap: tc.gap})
			if err != nil {
				t.Fatal(err)
			}
			st := &streamState{}
			st.forget()
			var serials []uint64
			var times []time.Time
			for _, r := range tc.recs {
				st.see(r.serial, r.at)
				serials, times = append(serials, r.serial), append(times, r.at)
			}
			b.serialGaps(streamKey{"", "audit.log"}, st)
			want := refGaps(serials, times, tc.gap)
			got := b.tampering
			if len(got) > 10 {
				got = got[:10] // the last says how many more
			}
			if len(want) != tc.gaps {
				t.Fatalf("the reference reports %d gaps, the case means %d", len(want), tc.gaps)
			}
			if len(got) != len(want) {
				t.Fatalf("%d gaps reported, want %d: %v", len(got), len(want), got)
			}
			for i := range want {
				if !got[i].at.Equal(want[i].at) {
					t.Errorf("gap %d at %v, want %v", i, got[i].at, want[i].at)
				}
				var from, to uint64
				fmt.Sscanf(want[i].text, "%d-%d", &from, &to)
				if w := fmt.Sprintf("audit serials %d to %d missing", from, to); !strings.Contains(got[i].text, w) || !strings.Contains(got[i].text, "before "+stamp(want[i].at)) {
					t.Errorf("gap %d: %q, want %q before %s", i, got[i].text, w, stamp(want[i].at))
				}
			}
		})
	}
}

// TestSerialSetRandom: runs of serials report as the blocks did, on random
// streams: serials mostly rising with some late ones, repeats, times out
// of order, merged at every tolerance from none to the report's own gap.
func TestSerialSetRandom(t *testing.T) {
	base := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(18, 21))
	reported, early := 0, 0 // gaps, and gaps whose block holds an earlier run's serials
	for round := range 1500 {
		gap := []uint64{1, 2, 5, 63, 64, 100, 1000}[rng.IntN(7)] // 0 is the default, 1000
		tol := gap
		if rng.IntN(3) == 0 {
			tol = rng.Uint64N(gap + 1) // a set merging less than the report asks
		}
		var serials []uint64
		var times []time.Time
		s := rng.Uint64N(1 << 20)
		for range rng.IntN(3000) + 1 {
			switch r := rng.IntN(100); {
			case r < 70:
				s += rng.Uint64N(3) + 1
			case r < 80:
				s += rng.Uint64N(3 * (gap + 2))
			case r < 85:
				s += rng.Uint64N(200)
			}
			x := s
			if rng.IntN(10) == 0 && x > 500 { // a late record of an earlier serial
				x -= rng.Uint64N(500)
			}
			serials = append(serials, x)
			times = append(times, base.Add(time.Duration(rng.IntN(100000)-50000)*time.Millisecond))
		}
		b, err := NewBuilder(Options{SerialGap: gap})
		if err != nil {
			t.Fatal(err)
		}
		st := &streamState{}
		st.forget()
		st.tol = tol
		for i := range serials {
			st.see(serials[i], times[i])
		}
		b.serialGaps(streamKey{"", "audit.log"}, st)
		want := refGaps(serials, times, gap)
		got := b.tampering
		if len(got) > 10 {
			got = got[:10]
		}
		if len(got) != len(want) {
			t.Fatalf("round %d (gap %d, tol %d): %d gaps reported, want %d", round, gap, tol, len(got), len(want))
		}
		for i := range want {
			var from, to uint64
			fmt.Sscanf(want[i].text, "%d-%d", &from, &to)
			w := fmt.Sprintf("audit serials %d to %d missing", from, to)
			if !got[i].at.Equal(want[i].at) || !strings.Contains(got[i].text, w) || !strings.Contains(got[i].text, "before "+stamp(want[i].at)) {
				t.Fatalf("round %d (gap %d, tol %d) gap %d: %q at %v, want %q at %v", round, gap, tol, i, got[i].text, got[i].at, w, want[i].at)
			}
		}
		reported += len(want)
		for i := 1; i < len(st.runs); i++ {
			if st.runs[i].lo>>6 == st.runs[i-1].hi>>6 {
				early++
			}
			if st.runs[i].lo <= st.runs[i-1].hi+1+tol {
				t.Fatalf("round %d: runs %d and %d not apart by more than %d: %+v %+v", round, i-1, i, tol, st.runs[i-1], st.runs[i])
			}
		}
	}
	if reported < 500 || early < 100 {
		t.Fatalf("the streams made %d gaps, %d runs beginning in an earlier run's block: too few to test", reported, early)
	}
}
