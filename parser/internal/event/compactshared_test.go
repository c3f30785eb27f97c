package event

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestCompactShared: two kept events with equal fields share one copy of
// each after CompactShared, a copy of its own for neither text; a table
// past its bound still gives right (unshared) copies.
func TestCompactShared(t *testing.T) {
	mk := func(serial int) *Event {
		raw := "type=SYSCALL msg=audit(1.000:" + strings.Repeat("7", serial) + "): exe=\"/usr/bin/git\" key=\"webroot\" name=\"/var/www/x\""
		at := func(s string) string { i := strings.Index(raw, s); return raw[i : i+len(s)] }
		return &Event{Exe: at("/usr/bin/git"), Key: at("webroot"), Path: at("/var/www/x"),
			Evidence: []Evidence{{Raw: raw}}}
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	for _, tc := range []struct {
		name  string
		full  bool // the table is at its bound before the events come
		share bool
	}{
		{"shared", false, true},
		{"table full", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s Strings
			if tc.full {
				for i := range maxSharedStrings {
					s.get(strconv.Itoa(i))
				}
			}
			a, b := mk(1), mk(2)
			rawA, rawB := a.Evidence[0].Raw, b.Evidence[0].Raw
			CompactShared(a, &s)
			CompactShared(b, &s)
			for _, f := range [][2]string{{a.Exe, b.Exe}, {a.Key, b.Key}, {a.Path, b.Path}} {
				if f[0] != f[1] {
					t.Fatalf("values differ: %q, %q", f[0], f[1])
				}
				if got := same(f[0], f[1]); got != tc.share {
					t.Errorf("%q shared = %v, want %v", f[0], got, tc.share)
				}
				for _, raw := range []string{rawA, rawB} {
					lo := uintptr(unsafe.Pointer(unsafe.StringData(raw)))
					if p := uintptr(unsafe.Pointer(unsafe.StringData(f[0]))); p >= lo && p < lo+uintptr(len(raw)) {
						t.Errorf("%q still points into the record text", f[0])
					}
				}
			}
			if a.Exe != "/usr/bin/git" || a.Evidence[0].Raw != "" {
				t.Errorf("compacted event: Exe %q, text %q", a.Exe, a.Evidence[0].Raw)
			}
		})
	}
}

// TestCompactSharesSlices: the argv and PATH records of kept events that
// are equal in every field share one slice after CompactShared; a
// different one (another inode) keeps its own, and no value changes.
func TestCompactSharesSlices(t *testing.T) {
	var s Strings
	a, b, c := keptExec(1), keptExec(2), keptExec(3)
	c.Paths[1].Inode = 100 // another file under the same name
	want := append([]PathRecord(nil), c.Paths...)
	for _, e := range []*Event{a, b, c} {
		CompactShared(e, &s)
	}
	if &a.Args[0] != &b.Args[0] || &a.Paths[0] != &b.Paths[0] {
		t.Error("two events with equal argv and PATH records keep a slice each")
	}
	if &c.Paths[0] == &a.Paths[0] {
		t.Error("PATH records that differ in an inode share a slice")
	}
	if c.Paths[1].Inode != 100 || c.Paths[0] != want[0] || c.Paths[1].Name != want[1].Name {
		t.Errorf("PATH records changed: %+v, want %+v", c.Paths, want)
	}
	if got := strings.Join(b.Args, " "); got != "sh -c date -u +%Y-%m-%dT%H:%M:%SZ" {
		t.Errorf("argv %q", got)
	}
}
