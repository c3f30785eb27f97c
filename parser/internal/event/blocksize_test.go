package event

import (
	"testing"
	"unsafe"
)

// TestBlockSize: an event and its evidence fit the allocator's 640-byte
// size class. Tens of thousands are kept to the end of a scan; a block one
// byte larger takes 704 bytes. A new field must find room (the padding
// after the small fields) or move a rare one out of line (rare.go).
func TestBlockSize(t *testing.T) {
	if n := unsafe.Sizeof(block{}); n > 640 {
		t.Errorf("an event block is %d bytes: more than the 640-byte size class (Event %d, Evidence %d)", n, unsafe.Sizeof(Event{}), unsafe.Sizeof(Evidence{}))
	}
}
