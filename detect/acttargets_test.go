package detect

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// refActs is the act table as it was with string keys: the reference
// that the numbered targets (actTargets) must answer as.
type refActs struct {
	seen  map[refKey]uint8
	order []refKey
	head  int
	cut   int
}

type refKey struct {
	target         string
	proc, ruleKind uint32
}

func (t *refActs) first(target string, proc, ruleKind uint32) bool {
	k := refKey{target, proc, ruleKind}
	if _, dup := t.seen[k]; dup {
		return false
	}
	n := refKey{countKey, proc, ruleKind}
	if t.seen[n] >= maxTargetsPerKind {
		t.cut++
		return false
	}
	for _, key := range [...]refKey{k, n} {
		if _, ok := t.seen[key]; ok {
			continue
		}
		if len(t.order) < maxSeen {
			t.order = append(t.order, key)
			continue
		}
		delete(t.seen, t.order[t.head])
		t.order[t.head] = key
		t.head = (t.head + 1) % maxSeen
	}
	t.seen[k] = 1
	t.seen[n]++
	return true
}

// TestActTargets: the act table with numbered targets answers every act
// as the table of strings did, through the ring's evictions (more keys
// than maxSeen), targets coming back after all their keys went, and the
// count key's own name as a target; and it keeps each target once, and
// only while a key names it.
func TestActTargets(t *testing.T) {
	cases := []struct {
		name           string
		acts           int
		targets, procs int
		rules          int
	}{
		{name: "few targets, many processes (a repeated capture)", acts: 3 * maxSeen, targets: 40, procs: 20000, rules: 3},
		{name: "many targets (a sweep)", acts: 2 * maxSeen, targets: 100000, procs: 50, rules: 2},
		{name: "under the bound", acts: 5000, targets: 300, procs: 300, rules: 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.acts)))
			e := &Engine{seen: map[seenKey]uint8{}}
			ref := &refActs{seen: map[refKey]uint8{}}
			for i := range tc.acts {
				target := fmt.Sprintf("/var/www/html/f%d", rng.IntN(tc.targets))
				if rng.IntN(1000) == 0 {
					target = countKey // no path is a NUL, but the old table took it as the count
				}
				proc, rk := uint32(rng.IntN(tc.procs)+1), uint32(rng.IntN(tc.rules))<<8|3
				if got, want := e.firstAct(target, proc, rk), ref.first(target, proc, rk); got != want {
					t.Fatalf("act %d (%q, proc %d, rule %d): new act %v, want %v", i, target, proc, rk, got, want)
				}
			}
			if e.targetsCut != ref.cut {
				t.Errorf("targets cut %d, want %d", e.targetsCut, ref.cut)
			}
			if len(e.seen) != len(ref.seen) {
				t.Errorf("%d keys, want %d", len(e.seen), len(ref.seen))
			}
			// each target kept once, while some key names it
			named := map[uint32]int32{}
			for k := range e.seen {
				if k.target != 0 {
					named[k.target]++
				}
			}
			if len(e.targets.ids) != len(named) {
				t.Errorf("%d targets kept, %d named by the table's keys", len(e.targets.ids), len(named))
			}
			for id, n := range named {
				if e.targets.refs[id] != n {
					t.Errorf("target %q: %d references counted, %d keys", e.targets.names[id], e.targets.refs[id], n)
				}
			}
		})
	}
}
