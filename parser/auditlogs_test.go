package parser

import (
	"strings"
	"testing"
)

// TestLongLine: EXECVE records of a huge argv reach past 64 KiB in some
// re-emitted logs; such a line is read whole, not cut or fatal.
func TestLongLine(t *testing.T) {
	arg := strings.Repeat("41", 70000) // 70 000 bytes of 'A', hex-encoded
	log := "type=SYSCALL msg=audit(10.000:1): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=0 euid=0 comm=\"x\" exe=\"/bin/x\" key=(null)\n" +
		"type=EXECVE msg=audit(10.000:1): argc=2 a0=\"x\" a1=" + arg + "\n" +
		"type=PROCTITLE msg=audit(10.000:1): proctitle=78\n"
	evs, in := readString(t, log)
	if len(evs) != 1 || len(evs[0].Args) != 2 || len(evs[0].Args[1]) != 70000 {
		t.Fatalf("got %d events, args %d", len(evs), len(evs[0].Args))
	}
	if in.Malformed != 0 {
		t.Errorf("malformed = %d", in.Malformed)
	}
}

// TestSplitArgument joins a[0..n] parts of an argument split by the kernel,
// even when its records interleave with another event's.
func TestSplitArgument(t *testing.T) {
	log := `type=SYSCALL msg=audit(10.000:5): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=33 euid=33 comm="sh" exe="/bin/dash" key=(null)
type=EXECVE msg=audit(10.000:5): argc=3 a0="sh" a1="-c" a2_len=8 a2[0]=6964
type=CWD msg=audit(10.000:6): cwd="/"
type=EXECVE msg=audit(10.000:5):  a2[1]=3B6C73
type=PROCTITLE msg=audit(10.000:5): proctitle=7368
`
	evs, _ := readString(t, log)
	var got []string
	for _, e := range evs {
		if e.Kind == KindExec {
			got = e.Args
		}
	}
	if strings.Join(got, "|") != "sh|-c|id;ls" {
		t.Fatalf("args = %q", got)
	}
}

func readString(t *testing.T, log string) ([]*Event, *Input) {
	t.Helper()
	ins, skipped := Resolve([]string{"-"}, strings.NewReader(log))
	if len(skipped) > 0 {
		t.Fatalf("skipped %v", skipped)
	}
	r := NewReader(ins, Options{})
	var evs []*Event
	if err := r.All(func(e *Event) { evs = append(evs, e) }); err != nil {
		t.Fatal(err)
	}
	return evs, ins[0]
}
