package detect

import (
	"strconv"
	"strings"
	"testing"
)

// TestFindingsPerRuleBound: past the bound, a rule's findings on a host are
// counted and said, not returned (so not retained); every host and rule
// has a bound of its own, and a negative bound keeps all.
func TestFindingsPerRuleBound(t *testing.T) {
	const rule = "web-server-shell-spawn"
	for _, tc := range []struct {
		name      string
		bound     int // Options.FindingsPerRule
		spawns    int // per host
		hosts     []string
		wantKept  int // per host
		wantNotes []string
	}{
		{"default", 0, DefaultFindingsPerRule + 5, []string{""}, DefaultFindingsPerRule,
			[]string{"rule " + rule + ": 5 further findings past the bound of " + strconv.Itoa(DefaultFindingsPerRule) + " per rule and host were counted, not kept"}},
		{"small", 3, 10, []string{""}, 3, []string{"rule " + rule + ": 7 further findings past the bound of 3"}},
		{"per host", 3, 4, []string{"web1", "web2"}, 3, []string{
			"rule " + rule + " on host web1: 1 further findings past the bound of 3",
			"rule " + rule + " on host web2: 1 further findings past the bound of 3"}},
		{"within", 3, 3, []string{""}, 3, nil},
		{"none", -1, 50, []string{""}, 50, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Options{FindingsPerRule: tc.bound})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			kept := map[string]int{}
			for _, host := range tc.hosts {
				ev := s.exec(10, 1, 33, "www-data", "/", "/usr/sbin/nginx", "nginx")
				ev.Host = host
				for i := range tc.spawns {
					pid := 1000 + i
					ev := s.exec(pid, 10, 33, "www-data", "/", "/usr/bin/dash", "sh", "-c", "date "+strconv.Itoa(i))
					ev.Host = host
					fs := e.Observe(ev, s.tree)
					if f := findingOf(fs, rule); f != nil {
						kept[host]++
						if !ev.Retained() {
							t.Fatalf("a kept finding's event is not retained")
						}
					} else if ev.Retained() {
						t.Fatalf("spawn %d: no finding, yet its event is retained", i)
					}
				}
			}
			for _, host := range tc.hosts {
				if kept[host] != tc.wantKept {
					t.Errorf("host %q: %d findings kept, want %d", host, kept[host], tc.wantKept)
				}
			}
			notes := e.Dropped()
			if len(notes) != len(tc.wantNotes) {
				t.Fatalf("notes %q, want %d", notes, len(tc.wantNotes))
			}
			for i, want := range tc.wantNotes {
				if !strings.Contains(notes[i], want) || !strings.Contains(notes[i], "--max-findings-per-rule") {
					t.Errorf("note %q lacks %q", notes[i], want)
				}
			}
		})
	}
}
