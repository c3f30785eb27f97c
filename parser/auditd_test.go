package parser

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		node     string
		typ      string
		sec      int64
		msec     int32
		serial   uint64
		body     string // the record body up to the enriched part
		enriched string
		wantErr  error
	}{
		{name: "raw", line: `type=CWD msg=audit(1795641375.954:2995): cwd="/tmp/fx"`,
			typ: "CWD", sec: 1795641375, msec: 954, serial: 2995, body: `cwd="/tmp/fx"`},
		{name: "enriched", line: "type=SYSCALL msg=audit(1795641375.966:3001): arch=c000003e syscall=42 key=\"x\"\x1dARCH=x86_64 SYSCALL=connect",
			typ: "SYSCALL", sec: 1795641375, msec: 966, serial: 3001, body: `arch=c000003e syscall=42 key="x"`, enriched: "ARCH=x86_64 SYSCALL=connect"},
		{name: "node", line: `node=web1 type=EOE msg=audit(1.002:7): `, node: "web1", typ: "EOE", sec: 1, msec: 2, serial: 7},
		{name: "syslog rfc3164", line: `Nov 25 20:16:08 web1 audisp-syslog: type=CWD msg=audit(1.500:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "syslog rfc3339 with node", line: `2026-11-25T20:16:08Z relay audispd: node=web2 type=CWD msg=audit(1.500:9): cwd="/"`,
			node: "web2", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "kernel numeric type", line: `Nov 25 20:16:08 web1 kernel: audit: type=1307 audit(1.5:9): cwd="/"`,
			node: "web1", typ: "CWD", sec: 1, msec: 500, serial: 9, body: `cwd="/"`},
		{name: "unknown number", line: `type=UNKNOWN[1329] msg=audit(1.000:1): x=1`, typ: "UNKNOWN[1329]", sec: 1, serial: 1, body: "x=1"},
		{name: "name newer than the table", line: `type=FUTURE_THING msg=audit(1.000:1): x=1`, typ: "FUTURE_THING", sec: 1, serial: 1, body: "x=1"},
		{name: "no type", line: `msg=audit(1.000:1): x=1`, wantErr: ErrHeader},
		{name: "bad type", line: `type=foo<bar msg=audit(1.000:1): x=1`, wantErr: ErrHeader},
		{name: "truncated", line: `type=SYSCALL msg=audit(1795641375.95`, wantErr: ErrHeader},
		{name: "letters in time", line: `type=SYSCALL msg=audit(17x.950:1): a=1`, wantErr: ErrHeader},
		{name: "no serial", line: `type=SYSCALL msg=audit(1.950): a=1`, wantErr: ErrHeader},
		{name: "binary", line: "\x00\x01\xff type", wantErr: ErrHeader},
	}
	lp := newLineParser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := lp.parse([]byte(tt.line))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Node != tt.node || h.Type != tt.typ || h.Sec != tt.sec || h.Msec != tt.msec || h.Serial != tt.serial {
				t.Errorf("got node=%q type=%q %d.%03d:%d, want node=%q type=%q %d.%03d:%d",
					h.Node, h.Type, h.Sec, h.Msec, h.Serial, tt.node, tt.typ, tt.sec, tt.msec, tt.serial)
			}
			if body := strings.TrimSpace(tt.line[h.Body:h.Enriched]); body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			var enr string
			if h.Enriched < len(tt.line) {
				enr = tt.line[h.Enriched+1:]
			}
			if enr != tt.enriched {
				t.Errorf("enriched = %q, want %q", enr, tt.enriched)
			}
		})
	}
}

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
