package detect

import (
	"strconv"
	"strings"
	"testing"
)

// TestFindingBounds: past a bound, findings are counted and said, not
// returned (so their events are not retained): an act (rule, host,
// command, target) is listed RepeatsPerAct times, a rule on a host
// FindingsPerRule times whatever the acts; every host has bounds of its
// own, and a negative bound keeps all.
func TestFindingBounds(t *testing.T) {
	const rule = "web-server-shell-spawn"
	for _, tc := range []struct {
		name            string
		perAct, perRule int // Options
		spawns          int // per host
		distinct        bool
		hosts           []string
		wantKept        int // per host
		wantNotes       []string
	}{
		{"default repeats", 0, 0, DefaultRepeatsPerAct + 5, false, []string{""}, DefaultRepeatsPerAct,
			[]string{"rule " + rule + ": 5 further findings were counted, not kept: 5 repeated an act listed " + strconv.Itoa(DefaultRepeatsPerAct) + ` times already (1 acts; the most repeated: "sh -c date" by "/usr/bin/dash"`}},
		{"distinct acts within the default", 0, 0, DefaultRepeatsPerAct + 5, true, []string{""}, DefaultRepeatsPerAct + 5, nil},
		{"default per rule", 0, 0, DefaultFindingsPerRule + 5, true, []string{""}, DefaultFindingsPerRule,
			[]string{"rule " + rule + ": 5 further findings were counted, not kept: 5 came past the bound of " + strconv.Itoa(DefaultFindingsPerRule) + " findings per rule and host"}},
		{"small repeats", 3, 0, 10, false, []string{""}, 3, []string{"7 repeated an act listed 3 times already"}},
		{"small per rule", 0, 3, 10, true, []string{""}, 3, []string{"7 came past the bound of 3 findings per rule"}},
		{"per host", 3, 0, 4, false, []string{"web1", "web2"}, 3, []string{
			"rule " + rule + " on host web1: 1 further findings",
			"rule " + rule + " on host web2: 1 further findings"}},
		{"within", 3, 3, 3, false, []string{""}, 3, nil},
		{"none", -1, -1, 50, false, []string{""}, 50, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Options{RepeatsPerAct: tc.perAct, FindingsPerRule: tc.perRule})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			kept := map[string]int{}
			for _, host := range tc.hosts {
				ev := s.exec(10, 1, 33, "www-data", "/", "/usr/sbin/nginx", "nginx")
				ev.Host = host
				for i := range tc.spawns {
					cmd := "date"
					if tc.distinct {
						cmd += " " + strconv.Itoa(i)
					}
					ev := s.exec(1000+i, 10, 33, "www-data", "/", "/usr/bin/dash", "sh", "-c", cmd)
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
