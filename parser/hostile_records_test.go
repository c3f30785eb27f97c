package parser

import (
	"strings"
	"testing"
)

// TestHostileRepeatedFields: a record repeating a field a hundred
// thousand times made one error per repeat, all held until its event was
// done (an 8 MiB file took 340 MB). An event lists at most
// maxEventErrors problems and counts the rest in one more; the record is
// one malformed record and its event is still read.
func TestHostileRepeatedFields(t *testing.T) {
	for _, c := range []struct{ name, rec string }{
		{"pid", "type=SYSCALL msg=audit(1795641375.000:1): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=5 auid=0 uid=0 comm=\"x\" exe=\"/bin/x\" key=\"k\" " + strings.Repeat("pid=1 ", 100000)},
		{"bad hex args", "type=SYSCALL msg=audit(1795641375.000:1): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=5 auid=0 uid=0 comm=\"x\" exe=\"/bin/x\" key=\"k\"\n" +
			"type=EXECVE msg=audit(1795641375.000:1): argc=3 " + strings.Repeat("a0=ZZ ", 100000)},
	} {
		t.Run(c.name, func(t *testing.T) {
			evs, in := readString(t, c.rec+"\ntype=EOE msg=audit(1795641375.000:1): \n")
			if len(evs) != 1 || evs[0].PID != 5 {
				t.Fatalf("%d events, want the one event of pid 5", len(evs))
			}
			if in.Malformed != 1 {
				t.Errorf("%d malformed records, want 1", in.Malformed)
			}
			if in.Errors.Total > 65 { // maxEventErrors, and the count of the rest
				t.Errorf("%d errors for one record, want at most 65", in.Errors.Total)
			}
		})
	}
}
