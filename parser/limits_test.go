package parser

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Hostile auditd events: each case is a log an attacker can write on the
// host, and what the parser must make of it. Every case runs under a
// deadline, so a quadratic or unbounded path fails instead of hanging.

const (
	hdr1       = "msg=audit(10.000:1): "
	execSys1   = "type=SYSCALL " + hdr1 + "arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=0 euid=0 comm=\"x\" exe=\"/bin/x\" key=(null)\n"
	title1     = "type=PROCTITLE " + hdr1 + "proctitle=78\n"
	nextEvent2 = "type=SYSCALL msg=audit(11.000:2): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=3 uid=0 euid=0 comm=\"rm\" exe=\"/bin/rm\" key=(null)\n" +
		"type=EXECVE msg=audit(11.000:2): argc=2 a0=\"rm\" a1=\"/var/log/audit/audit.log\"\n" +
		"type=PROCTITLE msg=audit(11.000:2): proctitle=726D\n"
)

// execveRecords writes args as the kernel does: a0=… a1=… in EXECVE records
// of at most about 7 500 bytes each, the first one with argc.
func execveRecords(hdr string, args []string) string {
	var b strings.Builder
	rec := fmt.Sprintf("type=EXECVE %sargc=%d", hdr, len(args))
	for i, a := range args {
		f := fmt.Sprintf(" a%d=%s", i, encode(a))
		if len(rec)+len(f) > 7500 {
			b.WriteString(rec + "\n")
			rec = "type=EXECVE " + hdr[:len(hdr)-1]
		}
		rec += f
	}
	b.WriteString(rec + "\n")
	return b.String()
}

// splitArgRecords writes argument 1 as n parts a1[i] of hex, one a record.
func splitArgRecords(hdr string, n int, part string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "type=EXECVE %sargc=2 a0=\"x\" a1_len=%d\n", hdr, n*len(part))
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "type=EXECVE %sa1[%d]=%s\n", hdr, i, part)
	}
	return b.String()
}

func TestHostileEvents(t *testing.T) {
	manyArgs := make([]string, 70000)
	for i := range manyArgs {
		manyArgs[i] = "x"
	}
	manyArgs[69999] = "/var/log/audit/audit.log"

	tests := []struct {
		name  string
		log   string
		check func(t *testing.T, evs []*Event, in *Input)
	}{{
		// 70 000 records with one key: past RecordsPerEvent they are cut,
		// counted and reported where the cut starts.
		name: "records per event",
		log: execSys1 + strings.Repeat("type=PATH "+hdr1+"item=0 name=\"/x\" nametype=NORMAL\n", 69999) +
			title1 + nextEvent2,
		check: func(t *testing.T, evs []*Event, in *Input) {
			wantCut := 1 + 69999 + 1 - DefaultRecordsPerEvent
			if in.Malformed != wantCut {
				t.Errorf("malformed = %d, want %d cut records", in.Malformed, wantCut)
			}
			wantErr(t, in, DefaultRecordsPerEvent+1, "65536 records")
			if len(evs) != 2 || len(evs[0].Paths) != DefaultRecordsPerEvent-1 {
				t.Errorf("events %d, want the cut event and the next one", len(evs))
			}
			wantNext(t, evs)
		},
	}, {
		// An exec with 70 000 arguments, legal for the kernel: all kept.
		name: "arguments per exec",
		log:  execSys1 + execveRecords(hdr1, manyArgs) + title1 + nextEvent2,
		check: func(t *testing.T, evs []*Event, in *Input) {
			if len(evs) == 0 || len(evs[0].Args) != 70000 || evs[0].Args[69999] != "/var/log/audit/audit.log" {
				n := 0
				if len(evs) > 0 {
					n = len(evs[0].Args)
				}
				t.Errorf("got %d args, want 70000 with the last one kept", n)
			}
			if in.Malformed != 0 {
				t.Errorf("malformed = %d: %v", in.Malformed, in.Errors.Err())
			}
			wantNext(t, evs)
		},
	}, {
		// 4 000 parts of 2 000 hex digits: within the limits, decoded in
		// linear time (it was quadratic: minutes).
		name: "split argument linear",
		log:  execSys1 + splitArgRecords(hdr1, 4000, strings.Repeat("41", 1000)) + title1 + nextEvent2,
		check: func(t *testing.T, evs []*Event, in *Input) {
			if len(evs) == 0 || len(evs[0].Args) != 2 || len(evs[0].Args[1]) != 4000*1000 {
				t.Errorf("split argument not joined")
			}
			if in.Malformed != 0 {
				t.Errorf("malformed = %d: %v", in.Malformed, in.Errors.Err())
			}
			wantNext(t, evs)
		},
	}, {
		// 200 000 parts (2.7 MB): past PartsPerArg, cut and reported.
		name: "parts per argument",
		log:  execSys1 + splitArgRecords(hdr1, 200000, "41") + title1 + nextEvent2,
		check: func(t *testing.T, evs []*Event, in *Input) {
			if len(evs) == 0 || len(evs[0].Args) != 2 || evs[0].Args[1] != strings.Repeat("A", DefaultPartsPerArg) {
				t.Errorf("want the argument's first %d parts", DefaultPartsPerArg)
			}
			if in.Malformed == 0 {
				t.Errorf("cut parts not counted as malformed")
			}
			wantErr(t, in, 0, "4096 parts")
			wantNext(t, evs)
		},
	}, {
		// A record type the tool does not know, inside an exec event.
		name: "unknown record type",
		log: execSys1 + "type=FUTURE_THING " + hdr1 + "res=0 foo=bar\n" +
			"type=UNKNOWN[1399] " + hdr1 + "res=0\n" +
			"type=EXECVE " + hdr1 + "argc=2 a0=\"rm\" a1=\"/var/log/audit/audit.log\"\n" + title1,
		check: func(t *testing.T, evs []*Event, in *Input) {
			if len(evs) != 1 {
				t.Fatalf("events %d", len(evs))
			}
			e := evs[0]
			if e.Kind != KindExec || !e.Success || e.Exe != "/bin/x" || len(e.Args) != 2 {
				t.Errorf("exec lost: kind %v success %v exe %q args %q", e.Kind, e.Success, e.Exe, e.Args)
			}
			if !strings.Contains(e.Evidence[0].Raw, "FUTURE_THING") {
				t.Errorf("unknown record not kept in the evidence")
			}
		},
	}, {
		name: "invalid pids",
		log: strings.ReplaceAll(execSys1, "pid=2", "pid=1234567890123456789012") +
			"type=SYSCALL msg=audit(10.000:3): arch=c000003e syscall=59 success=yes exit=0 ppid=-1 pid=0 uid=0 comm=\"x\" exe=\"/bin/x\"\n" +
			"type=SYSCALL msg=audit(10.000:4): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=-7 uid=0 comm=\"x\" exe=\"/bin/x\"\n",
		check: func(t *testing.T, evs []*Event, in *Input) {
			if in.Malformed != 3 {
				t.Errorf("malformed = %d, want 3: %v", in.Malformed, in.Errors.Err())
			}
			wantErr(t, in, 1, `pid="1234567890123456789012"`)
			wantErr(t, in, 2, `pid="0"`)
			wantErr(t, in, 3, `pid="-7"`)
		},
	}, {
		// The kernel writes each field once: a second uid= is injected
		// text. The first wins and the record is reported.
		name: "duplicate fields",
		log:  strings.ReplaceAll(execSys1, "uid=0 euid=0", "uid=33 euid=33 uid=0") + title1,
		check: func(t *testing.T, evs []*Event, in *Input) {
			if len(evs) != 1 || evs[0].UID != NewID(33) {
				t.Errorf("uid %v, want the first (33)", evs[0].UID)
			}
			if in.Malformed != 1 {
				t.Errorf("malformed = %d, want 1", in.Malformed)
			}
			wantErr(t, in, 1, "duplicate uid")
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			type result struct {
				evs []*Event
				in  *Input
			}
			done := make(chan result, 1)
			go func() {
				evs, in := readString(t, tt.log)
				done <- result{evs, in}
			}()
			select {
			case r := <-done:
				tt.check(t, r.evs, r.in)
			case <-time.After(20 * time.Second):
				t.Fatal("no result after 20 s")
			}
		})
	}
}

// wantErr checks that in reports an error at line (0: any line) whose text
// holds what.
func wantErr(t *testing.T, in *Input, line int, what string) {
	t.Helper()
	for _, e := range in.Errors.List {
		if (line == 0 || e.Pos.Line == line) && strings.Contains(e.Error(), what) {
			return
		}
	}
	t.Errorf("no error at line %d saying %q; errors: %v", line, what, in.Errors.List)
}

// wantNext checks that the event after the hostile one was read in full.
func wantNext(t *testing.T, evs []*Event) {
	t.Helper()
	for _, e := range evs {
		if e.Serial == 2 && len(e.Args) == 2 && e.Args[1] == "/var/log/audit/audit.log" {
			return
		}
	}
	t.Errorf("the next event was not read")
}

// TestBytesPerEvent: an event past BytesPerEvent keeps its first records;
// the rest are cut, counted and reported where the cut starts.
func TestBytesPerEvent(t *testing.T) {
	path := "type=PATH " + hdr1 + "item=0 name=\"/" + strings.Repeat("x", 100) + "\" nametype=NORMAL\n"
	log := execSys1 + strings.Repeat(path, 100) + title1 + nextEvent2
	ins, _ := Resolve([]string{"-"}, strings.NewReader(log))
	r := NewReader(ins, Options{Limits: Limits{BytesPerEvent: 4096}})
	var evs []*Event
	if err := r.All(func(e *Event) { evs = append(evs, e) }); err != nil {
		t.Fatal(err)
	}
	in := ins[0]
	if len(evs) != 2 || len(evs[0].Evidence[0].Raw) > 4096 {
		t.Fatalf("events %d, first of %d bytes", len(evs), len(evs[0].Evidence[0].Raw))
	}
	kept := len(evs[0].Paths)
	if in.Malformed != 100-kept+1 {
		t.Errorf("malformed = %d, want %d cut records", in.Malformed, 100-kept+1)
	}
	wantErr(t, in, kept+2, "more than 4096 bytes")
	wantNext(t, evs)
}
