package parser

import (
	"strings"
	"testing"
	"time"
)

// TestReorder: events come out in time order within the window, equal
// times in input order, and the buffer never holds more than reorderMax.
func TestReorder(t *testing.T) {
	t0 := time.Date(2022, 5, 11, 18, 10, 22, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	var r reorder
	in := []struct {
		ms  int
		pid int
	}{{139, 1}, {138, 2}, {138, 3}, {20000, 4}, {150, 5}}
	var got []int
	for _, c := range in {
		r.add(&Event{Time: at(c.ms), PID: c.pid})
		for r.ready() {
			got = append(got, r.pop().PID)
		}
	}
	for ev := r.pop(); ev != nil; ev = r.pop() {
		got = append(got, ev.PID)
	}
	// 2 and 3 (138 ms, input order) before 1 (139 ms); the 20 s event
	// releases them; 5 comes after the window closed on them and is
	// released in its own time order against what is left (4).
	want := []int{2, 3, 1, 5, 4}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}

	var big reorder
	for i := 0; i < reorderMax+10; i++ {
		big.add(&Event{Time: t0})
		for big.ready() {
			big.pop()
		}
		if len(big.h) > reorderMax {
			t.Fatalf("buffer holds %d events, bound %d", len(big.h), reorderMax)
		}
	}
}

// TestReorderBytes: big records release the buffer by their bytes, not
// only by count: 16 384 lines of 16 MiB must never be held at once.
func TestReorderBytes(t *testing.T) {
	t0 := time.Date(2022, 5, 11, 18, 10, 22, 0, time.UTC)
	raw := strings.Repeat("x", 1<<20)
	var r reorder
	for i := 0; i < 200; i++ {
		r.add(&Event{Time: t0, Evidence: []Evidence{{Raw: raw}}})
		for r.ready() {
			r.pop()
		}
		if r.bytes > reorderBytes {
			t.Fatalf("buffer holds %d bytes, bound %d", r.bytes, reorderBytes)
		}
	}
	for r.pop() != nil {
	}
	if r.bytes != 0 {
		t.Errorf("%d bytes counted in an empty buffer", r.bytes)
	}
}
