package event

// SameButBlock reports whether a and b are equal in every field but
// inBlock (an unpacked event has a block of its own).
func SameButBlock(a, b *Event) (Event, Event) {
	x, y := *a, *b
	x.inBlock, y.inBlock = false, false
	return x, y
}
