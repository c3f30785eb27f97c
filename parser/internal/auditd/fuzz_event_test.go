package auditd

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzEvent builds whole auditd events from many records with one key —
// many EXECVE records, a huge argc, an argument in many parts, a record
// type nobody knows — under small limits, and runs them through
// reassembly and normalization. Line fuzzers never reach these shapes.
// Properties: no panic, the exec survives, the limits hold, and what was
// cut is reported.
func FuzzEvent(f *testing.F) {
	f.Add(uint16(3), uint32(5), uint16(4), "FUTURE_THING", "x", uint8(0))
	f.Add(uint16(40), uint32(70000), uint16(0), "AVC", "/var/log/audit", uint8(3))
	f.Add(uint16(0), uint32(2), uint16(300), "", "caf\xc3\xa9 it's", uint8(7))
	f.Add(uint16(500), uint32(4294967295), uint16(500), "1399", "-c", uint8(1))
	f.Fuzz(func(t *testing.T, nrec uint16, argc uint32, parts uint16, typ, value string, l uint8) {
		if len(value) > 200 || strings.ContainsRune(value, 0) {
			return
		}
		nrec, parts = nrec%2000, parts%3000
		lim := Limits{}
		if l != 0 {
			lim = Limits{RecordsPerEvent: 1 + int(l)*8, BytesPerEvent: 4096 * int(l), ArgsPerExec: int(l), PartsPerArg: int(l)}
		}
		hdr := "msg=audit(1700000000.123:42): "
		lines := []string{"type=SYSCALL " + hdr + "arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=33 comm=\"sh\" exe=\"/bin/sh\" key=(null)"}
		if isTypeName([]byte(typ)) {
			// Z_: never a type the tool knows, so never one that ends
			// the event (PROCTITLE, EOE) or stands alone.
			lines = append(lines, "type=Z_"+typ+" "+hdr+"res=0 pid=0 uid=0 foo="+encode(value))
		}
		lines = append(lines, fmt.Sprintf("type=EXECVE %sargc=%d a0=\"sh\"", hdr, argc))
		for i := 1; i <= int(nrec); i++ {
			lines = append(lines, fmt.Sprintf("type=EXECVE %sa%d=%s", hdr, i, encode(value)))
		}
		hex := fmt.Sprintf("%X", value)
		for j := 0; j < int(parts) && hex != ""; j++ {
			lines = append(lines, fmt.Sprintf("type=EXECVE %sa%d[%d]=%s", hdr, nrec+1, j, hex))
		}
		lines = append(lines, "type=PROCTITLE "+hdr+"proctitle=7368")

		in := testInput("fuzz")
		evs := decodeLines(in, &Options{Limits: lim}, lines)
		if len(evs) != 1 {
			t.Fatalf("%d events from one key", len(evs))
		}
		ev, lim := evs[0], lim.withDefaults()
		if ev.Kind != KindExec || !ev.Success || ev.PID != 2 || ev.UID != NewID(33) {
			t.Errorf("exec lost: kind %v success %v pid %d uid %v", ev.Kind, ev.Success, ev.PID, ev.UID)
		}
		if len(ev.Args) > lim.ArgsPerExec {
			t.Errorf("%d args, limit %d", len(ev.Args), lim.ArgsPerExec)
		}
		for _, a := range ev.Args {
			if len(a) > max(len("sh"), len(value), lim.PartsPerArg*len(hex)/2) {
				t.Errorf("argument of %d bytes, limit %d parts of %d", len(a), lim.PartsPerArg, len(hex)/2)
			}
		}
		if n := len(ev.Evidence[0].Raw); n > lim.BytesPerEvent+maxLine {
			t.Errorf("event of %d bytes, limit %d", n, lim.BytesPerEvent)
		}
		if *in.Malformed > len(lines) {
			t.Errorf("malformed %d > records %d", in.Malformed, len(lines))
		}
		if len(lines) > lim.RecordsPerEvent || int(parts) > lim.PartsPerArg && hex != "" {
			var cut bool
			for _, e := range in.Errors.List {
				cut = cut || errors.Is(e, ErrLimit)
			}
			if !cut || *in.Malformed == 0 {
				t.Errorf("cut not reported: malformed %d, %v", *in.Malformed, in.Errors.Err())
			}
		}
	})
}
