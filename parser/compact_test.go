package parser

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"unsafe"

	"github.com/auditchain/auditchain/internal/groundtruth"
)

// Compact keeps every field's value and leaves no string pointing into the
// record text, on every event of the lab's logs, of every format. The fields are walked by
// reflection, so a string field added to Event later fails here until
// Compact copies it.
func TestCompact(t *testing.T) {
	logs, _ := filepath.Glob("../testdata/lab/*/audit.log.gz")
	if len(logs) == 0 {
		t.Fatal("no lab logs")
	}
	// every format the lab has: the container capture's runtime logs too
	logs = append(logs, "../testdata/lab/container", "../testdata/lab/webshell-classic/access.log")
	n := 0
	for _, log := range logs {
		ins, _ := Resolve([]string{log}, nil)
		r := NewReader(ins, Options{})
		err := r.All(func(ev *Event) {
			raws := make([]string, len(ev.Evidence))
			for i, e := range ev.Evidence {
				raws[i] = e.Raw
			}
			// the process title is the one field Compact drops, not
			// copies: the tree read it already (Process.Title)
			title := ev.ProcTitle
			ev.ProcTitle = ""
			before := stringsOf(reflect.ValueOf(ev).Elem(), nil)
			ev.ProcTitle = title
			ev.Compact()
			if ev.ProcTitle != "" {
				t.Fatalf("%s: process title kept", ev.FirstEvidence().Pos)
			}
			after := stringsOf(reflect.ValueOf(ev).Elem(), nil)
			if len(before) != len(after) {
				t.Fatalf("%s: %d strings before, %d after", ev.FirstEvidence().Pos, len(before), len(after))
			}
			for i := range before {
				if before[i] != after[i] && !isRaw(before[i], raws) {
					t.Fatalf("%s: %s", ev.FirstEvidence().Pos, groundtruth.Withheld(filepath.Dir(ev.FirstEvidence().Pos.File), fmt.Sprintf("%q became %q", before[i], after[i])))
				}
				if after[i] != "" && within(after[i], raws) {
					t.Fatalf("%s: %s still points into the record text", ev.FirstEvidence().Pos, groundtruth.Withheld(filepath.Dir(ev.FirstEvidence().Pos.File), fmt.Sprintf("%q", after[i])))
				}
			}
			if len(ev.Evidence) > 0 && ev.Evidence[0].Raw != "" {
				t.Fatalf("%s: text kept", ev.FirstEvidence().Pos)
			}
			n++
		})
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if n == 0 {
		t.Fatal("no events")
	}

	// an event retained with KeepText is left alone
	ev := &Event{Exe: "x", Evidence: []Evidence{{Raw: "type=SYSCALL …"}}}
	ev.Retain(KeepText)
	ev.Compact()
	if ev.Evidence[0].Raw == "" {
		t.Error("KeepText's text was dropped")
	}
}

// stringsOf appends every string reachable from v (not through Proc).
func stringsOf(v reflect.Value, out []string) []string {
	switch v.Kind() {
	case reflect.String:
		return append(out, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).Name == "Proc" {
				continue
			}
			out = stringsOf(v.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = stringsOf(v.Index(i), out)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out = stringsOf(v.Elem(), out)
		}
	}
	return out
}

func isRaw(s string, raws []string) bool {
	for _, r := range raws {
		if s == r {
			return true
		}
	}
	return false
}

func within(s string, raws []string) bool {
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	for _, r := range raws {
		if r == "" {
			continue
		}
		lo := uintptr(unsafe.Pointer(unsafe.StringData(r)))
		if p >= lo && p < lo+uintptr(len(r)) {
			return true
		}
	}
	return false
}
