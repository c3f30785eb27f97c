package parser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// FuzzReader: any bytes as a whole log are read without a panic, every
// line is either an event's record or counted as malformed, and times are UTC.
func FuzzReader(f *testing.F) {
	for _, p := range []string{"testdata/auditd/damaged.log", "testdata/auditd/out_of_order.log"} {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte("type=EXECVE msg=audit(1.000:1): argc=1 a0_len=4 a0[0]=41\ntype=EXECVE msg=audit(1.000:1): a0[1]=4\n"))
	f.Add([]byte("type=EXECVE msg=audit(1.000:1): argc=1 a0_len=4 a0[0]=\"ab\"\ntype=EXECVE msg=audit(1.000:1): a0[1]=4142\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.Contains(data, []byte("type=")) {
			data = append([]byte("type=CWD msg=audit(1.000:1): cwd=\"/\"\n"), data...)
		}
		ins, _ := Resolve([]string{"-"}, bytes.NewReader(data))
		if len(ins) == 0 {
			return
		}
		r := NewReader(ins, Options{Workers: 1})
		err := r.All(func(e *Event) {
			if e.Time.Location().String() != "UTC" {
				t.Fatalf("time %v not UTC", e.Time)
			}
			if len(e.Evidence) == 0 {
				t.Fatal("event without evidence")
			}
			if _, err := json.Marshal(e.Time); err != nil { // a report must be writable
				t.Fatalf("event time: %v", err)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if in := ins[0]; in.Malformed > in.Records {
			t.Fatalf("malformed %d > records %d", in.Malformed, in.Records)
		}
	})
}

// encode writes a string the way the kernel does (audit_log_untrustedstring):
// quoted, or upper-case hex when it holds a quote, a space, a control or a
// non-ASCII byte.
func encode(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c < 0x21 || c > 0x7e {
			return fmt.Sprintf("%X", s)
		}
	}
	return `"` + s + `"`
}
