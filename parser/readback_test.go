package parser_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// readBackLog is an audit log whose exec event 101 has its records split
// by another event's (auditd writes records as the kernel emits them).
const readBackLog = `type=SYSCALL msg=audit(1700000000.100:100): arch=c000003e syscall=257 success=yes exit=3 pid=9 comm="x"
type=SYSCALL msg=audit(1700000000.200:101): arch=c000003e syscall=59 success=yes exit=0 pid=10 comm="rm"
type=EXECVE msg=audit(1700000000.200:101): argc=2 a0="rm" a1="/tmp/x"
type=SYSCALL msg=audit(1700000000.201:102): arch=c000003e syscall=257 success=yes exit=3 pid=11 comm="y"
type=CWD msg=audit(1700000000.200:101): cwd="/root"
type=PROCTITLE msg=audit(1700000000.200:101): proctitle=726D002F746D702F78
type=SYSCALL msg=audit(1700000000.300:1010): arch=c000003e syscall=59 success=yes exit=0 pid=12 comm="id"
`

func TestReadBack(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "audit.log")
	if err := os.WriteFile(plain, []byte(readBackLog), 0o600); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(readBackLog))
	zw.Close()
	packed := filepath.Join(dir, "audit.log.1.gz")
	if err := os.WriteFile(packed, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ins, skipped := parser.Resolve([]string{plain, packed}, nil)
	if len(skipped) > 0 || len(ins) != 2 {
		t.Fatalf("inputs %v, skipped %v", ins, skipped)
	}
	off := int64(strings.Index(readBackLog, "type=SYSCALL msg=audit(1700000000.200:101)"))
	want := strings.Join([]string{
		`type=SYSCALL msg=audit(1700000000.200:101): arch=c000003e syscall=59 success=yes exit=0 pid=10 comm="rm"`,
		`type=EXECVE msg=audit(1700000000.200:101): argc=2 a0="rm" a1="/tmp/x"`,
		`type=CWD msg=audit(1700000000.200:101): cwd="/root"`,
		`type=PROCTITLE msg=audit(1700000000.200:101): proctitle=726D002F746D702F78`,
	}, "\n")
	for _, name := range []string{plain, packed} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			good := parser.RecordRef{Pos: parser.Pos{File: name, Line: 2, Offset: off}, Serial: 101}
			// the file no longer says what the scan read: serial 10 is
			// not 101's prefix match, and a line that is not the event's
			// first record is refused
			stale := parser.RecordRef{Pos: parser.Pos{File: name, Line: 2, Offset: off}, Serial: 10}
			moved := parser.RecordRef{Pos: parser.Pos{File: name, Line: 1, Offset: 0}, Serial: 101}
			gone := parser.RecordRef{Pos: parser.Pos{File: "elsewhere.log", Line: 1}, Serial: 100}
			res := parser.ReadBack(ins, []parser.RecordRef{good, stale, moved, gone, good}, parser.DefaultDecompressLimits())
			if got := res.Text[good]; got != want {
				t.Errorf("event 101 read back as\n%s\nwant\n%s", got, want)
			}
			for _, r := range []parser.RecordRef{stale, moved, gone} {
				if got, ok := res.Text[r]; ok {
					t.Errorf("%v read back as %q: the line does not carry it", r, got)
				}
			}
			if res.Skipped != 3 {
				t.Errorf("skipped %d, want 3 (the stale, the moved and the unknown file; the repeat once)", res.Skipped)
			}
		})
	}
}

// FuzzReadBack: whatever the file holds now and whatever position is
// asked for, ReadBack returns only lines that carry the serial, the first
// of them at the position, and never panics.
func FuzzReadBack(f *testing.F) {
	f.Add([]byte(readBackLog), int64(strings.Index(readBackLog, "type=SYSCALL msg=audit(1700000000.200:101)")), uint64(101))
	f.Add([]byte("type=X msg=audit(1.0:7): a\r\n\n\ntype=Y msg=audit(1.0:7): b"), int64(0), uint64(7))
	f.Fuzz(func(t *testing.T, data []byte, off int64, serial uint64) {
		p := filepath.Join(t.TempDir(), "audit.log")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ins, _ := parser.Resolve([]string{p}, nil)
		ref := parser.RecordRef{Pos: parser.Pos{File: p, Line: 1, Offset: off}, Serial: serial}
		res := parser.ReadBack(ins, []parser.RecordRef{ref}, parser.DefaultDecompressLimits())
		text, ok := res.Text[ref]
		if !ok {
			return
		}
		if off < 0 || off >= int64(len(data)) || !bytes.HasPrefix(data[off:], []byte(strings.SplitN(text, "\n", 2)[0])) {
			t.Fatalf("read back %q at %d, which the file does not hold there", text, off)
		}
		for _, l := range strings.Split(text, "\n") {
			if !strings.Contains(l, ":"+strconv.FormatUint(serial, 10)+"):") {
				t.Fatalf("line %q without serial %d", l, serial)
			}
		}
	})
}
