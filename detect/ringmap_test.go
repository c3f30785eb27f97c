package detect

import "testing"

// TestRingMap: past max keys the oldest put is forgotten; putting a key
// again changes its value, not its age.
func TestRingMap(t *testing.T) {
	var r ringMap[string, int]
	for i, k := range []string{"a", "b", "c", "a", "d"} {
		r.put(k, i, 3)
	}
	for k, want := range map[string]int{"b": 1, "c": 2, "d": 4} {
		if v, ok := r.get(k); !ok || v != want {
			t.Errorf("get(%q) = %d %v, want %d", k, v, ok, want)
		}
	}
	if _, ok := r.get("a"); ok {
		t.Error("a, put first, outlived the bound (its second put made it no younger)")
	}
	if len(r.m) != 3 {
		t.Errorf("%d keys held, want 3", len(r.m))
	}
}
