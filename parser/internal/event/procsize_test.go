package event

import (
	"testing"
	"time"
	"unsafe"
)

// TestProcessSize: a process fits the allocator's 384-byte size class.
// The tree keeps tens of thousands to the end of a scan; one byte more
// takes 416. A new field must find room (the flags share a word with the
// 32-bit counters) or go behind a pointer.
func TestProcessSize(t *testing.T) {
	if n := unsafe.Sizeof(Process{}); n > 384 {
		t.Errorf("a Process is %d bytes: more than the 384-byte size class", n)
	}
}

// TestNewestChild: the newest child's start survives its two-integer
// form, the zero time included.
func TestNewestChild(t *testing.T) {
	for _, at := range []time.Time{
		{},
		time.Unix(0, 0).UTC(),
		time.Date(2026, 12, 4, 2, 30, 1, 123456789, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1969, 7, 20, 20, 17, 40, 999999999, time.UTC),
	} {
		var p Process
		SetNewestChild(&p, at)
		if got := NewestChild(&p); !got.Equal(at) || got.IsZero() != at.IsZero() {
			t.Errorf("SetNewestChild(%v) then NewestChild = %v", at, got)
		}
	}
	var p Process
	if !NewestChild(&p).IsZero() {
		t.Errorf("a new Process has a newest child: %v", NewestChild(&p))
	}
}
