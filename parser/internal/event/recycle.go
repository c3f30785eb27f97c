package event

import (
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// An auditd event and its one evidence entry are one allocation (a
// block): they live and die together. Most events are kept by nobody
// after the loop's iteration they were read in, so the reader takes their
// blocks back (Blocks.Recycle) and decodes later events into them instead
// of allocating ~800 bytes an event. Only the block is reused: the strings
// and slices an event points to (record text, argv, paths) are never
// written again, so a consumer that copied a field out keeps a good value.
// What is unsafe is keeping the *Event, or its Evidence slice, without
// Retain: poison mode (Blocks.Poison) makes that fail loudly in tests.
type block struct {
	ev  Event
	evi [1]Evidence
}

// Blocks hands out event blocks and takes back the ones nobody retained.
// New may be called from several goroutines at once; a nil *Blocks
// allocates a fresh block each time and recycles nothing.
type Blocks struct {
	pool sync.Pool
	// Poison, when set, overwrites a recycled event with garbage and
	// never reuses it: a consumer that kept it without Retain then reads
	// nonsense (and a nil Proc) instead of, silently, a later event.
	Poison bool
}

// New returns a zero event whose Evidence is one zero entry of its own
// block.
func (b *Blocks) New() *Event {
	var blk *block
	if b != nil {
		blk, _ = b.pool.Get().(*block)
	}
	if blk == nil {
		blk = new(block)
	} else {
		*blk = block{}
	}
	blk.ev.Evidence = blk.evi[:]
	blk.ev.inBlock = true
	return &blk.ev
}

// Recycle takes e back when it came from New and nobody retained it (see
// the package comment); the caller must not use e afterwards. It reports
// whether e was taken.
func (b *Blocks) Recycle(e *Event) bool {
	if b == nil || e == nil || !e.inBlock || e.retained {
		return false
	}
	e.inBlock = false // never taken twice
	blk := (*block)(unsafe.Pointer(e))
	if b.Poison {
		poison(blk)
		return true
	}
	b.pool.Put(blk)
	return true
}

// poisonText is what every string field of a poisoned event says.
const poisonText = "\x00auditchain: event used after it was recycled: its consumer kept it without Event.Retain\x00"

// poison overwrites every exported field of the block's event and
// evidence with garbage; Proc, HTTP and Alert become nil.
func poison(blk *block) {
	poisonValue(reflect.ValueOf(&blk.ev).Elem())
	poisonValue(reflect.ValueOf(&blk.evi[0]).Elem())
	blk.ev.Evidence = blk.evi[:]
	blk.ev.retention = nil
	blk.ev.rare = nil // no container, wrapper time or alert: nonsense too
}

var timeType = reflect.TypeFor[time.Time]()

func poisonValue(v reflect.Value) {
	switch {
	case !v.CanSet():
		return
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(1, 2, 3, 4, 5, 6, 7, time.FixedZone("poison", -1))))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(poisonText)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(-0x5ead) // truncated to the field's size: still negative nonsense
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(^uint64(0) >> (64 - v.Type().Bits()))
	case reflect.Pointer, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan:
		v.SetZero()
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf([]string{poisonText}).Convert(v.Type()))
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		poisonValue(s.Index(0))
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			poisonValue(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			poisonValue(v.Field(i))
		}
	}
}
