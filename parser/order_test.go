package parser

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// labAuditLines returns the lines of the classic lab capture, cut into
// pieces at event boundaries (a serial change), for the order tests.
func labAuditPieces(t *testing.T, n int) [][]byte {
	t.Helper()
	f, err := os.Open("../testdata/lab/webshell-classic/audit.log.gz")
	if err != nil {
		t.Fatalf("lab capture: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	var pieces [][]byte
	from := 0
	for i := 1; i <= n; i++ {
		to := len(lines) * i / n
		if i < n { // move the cut to the next change of serial
			for to < len(lines)-1 && serialOf(lines[to]) == serialOf(lines[to-1]) {
				to++
			}
		} else {
			to = len(lines)
		}
		pieces = append(pieces, bytes.Join(lines[from:to], nil))
		from = to
	}
	return pieces
}

func serialOf(line []byte) string {
	_, rest, _ := bytes.Cut(line, []byte("audit("))
	s, _, _ := bytes.Cut(rest, []byte(")"))
	return string(s)
}

// readOrder reads paths and returns each event as time:serial, and the inputs.
func readOrder(t *testing.T, paths []string, stdin io.Reader) ([]string, []*Input) {
	t.Helper()
	ins, skipped := Resolve(paths, stdin)
	if len(skipped) > 0 {
		t.Fatalf("skipped %v", skipped)
	}
	r := NewReader(ins, Options{})
	defer r.Close()
	var got []string
	if err := r.All(func(ev *Event) {
		got = append(got, fmt.Sprintf("%d:%d", ev.Time.UnixMilli(), ev.Evidence[0].Serial))
	}); err != nil {
		t.Fatal(err)
	}
	return got, r.Inputs()
}

// TestReaderOrderIndependent: the pieces of a log in any order, in one file
// or in several, give the events of the log in its own order, and the input
// says it was out of order.
func TestReaderOrderIndependent(t *testing.T) {
	pieces := labAuditPieces(t, 4)
	dir := t.TempDir()
	write := func(name string, parts ...[]byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Join(parts, nil), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want, _ := readOrder(t, []string{write("right.log", pieces...)}, nil)
	gz := func(name string, parts ...[]byte) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(bytes.Join(parts, nil))
		zw.Close()
		return write(name, b.Bytes())
	}
	tests := []struct {
		name      string
		paths     []string
		reordered bool
	}{
		{"halves swapped", []string{write("swap.log", pieces[2], pieces[3], pieces[0], pieces[1])}, true},
		{"quarters reversed", []string{write("rev.log", pieces[3], pieces[2], pieces[1], pieces[0])}, true},
		{"quarters shuffled, gzip", []string{gz("shuf.log.gz", pieces[1], pieces[3], pieces[0], pieces[2])}, true},
		{"separate files, any order", []string{write("p3.log", pieces[3]), write("p1.log", pieces[1]), write("p0.log", pieces[0]), write("p2.log", pieces[2])}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ins := readOrder(t, tt.paths, nil)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%d events, want %d; order differs from the log's own", len(got), len(want))
			}
			records := 0
			for _, in := range ins {
				records += in.Records
				if in.Reordered != tt.reordered || (in.OutOfOrder > 0) != tt.reordered || (in.OrderNote != "") != tt.reordered {
					t.Errorf("%s: Reordered %v, OutOfOrder %d, note %q", in.Path, in.Reordered, in.OutOfOrder, in.OrderNote)
				}
				// one hash of the file as stored, however many
				// streams read it (hashread.go)
				stored, err := os.ReadFile(in.Path)
				if err != nil {
					t.Fatal(err)
				}
				if sum := sha256.Sum256(stored); in.SHA256 != hex.EncodeToString(sum[:]) || in.Bytes != int64(len(stored)) {
					t.Errorf("%s: SHA-256 %s of %d bytes, want %x of %d", in.Path, in.SHA256, in.Bytes, sum, len(stored))
				}
				if in.Errors.Total > 0 {
					t.Errorf("%s: errors %v", in.Path, in.Errors.List)
				}
			}
			if records != bytes.Count(bytes.Join(pieces, nil), []byte("\n")) {
				t.Errorf("%d records counted", records)
			}
		})
	}
	t.Run("stdin is read once: disorder reported", func(t *testing.T) {
		_, ins := readOrder(t, []string{"-"}, bytes.NewReader(bytes.Join([][]byte{pieces[2], pieces[3], pieces[0], pieces[1]}, nil)))
		if ins[0].OutOfOrder == 0 || ins[0].Reordered || !strings.Contains(ins[0].OrderNote, "standard input") {
			t.Errorf("OutOfOrder %d, Reordered %v, note %q", ins[0].OutOfOrder, ins[0].Reordered, ins[0].OrderNote)
		}
	})
}

// TestReaderOrderEvidencePositions: events read out of stored order keep
// their own file:line.
func TestReaderOrderEvidencePositions(t *testing.T) {
	log := "type=SYSCALL msg=audit(1795642500.000:20): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=20 uid=0 comm=\"b\" exe=\"/bin/b\"\n" +
		"type=SYSCALL msg=audit(1795642400.000:10): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=10 uid=0 comm=\"a\" exe=\"/bin/a\"\n"
	p := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(p, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	ins, _ := Resolve([]string{p}, nil)
	r := NewReader(ins, Options{})
	defer r.Close()
	var got []string
	r.All(func(ev *Event) {
		got = append(got, fmt.Sprintf("%d@%d", ev.Evidence[0].Serial, ev.Evidence[0].Pos.Line))
	})
	if want := "10@2 20@1"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}

func TestPlanLanes(t *testing.T) {
	s := int64(1e9)
	tests := []struct {
		name  string
		runs  []orderRun
		lanes int
		stray int
	}{
		{"halves swapped: one lane", []orderRun{{first: 50 * s, last: 99 * s}, {first: 0, last: 49 * s}}, 1, 0},
		{"a late record: two lanes", []orderRun{{first: 0, last: 50 * s}, {first: 20 * s, last: 99 * s}}, 2, 0},
		{"interleaved beyond the lane bound", func() []orderRun {
			var rs []orderRun
			for i := range maxOrderLanes + 3 {
				rs = append(rs, orderRun{first: int64(i) * s, last: 1000 * s})
			}
			return rs
		}(), maxOrderLanes, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lanes, stray := planLanes(tt.runs)
			if len(lanes) != tt.lanes || stray != tt.stray {
				t.Errorf("%d lanes, %d stray; want %d, %d", len(lanes), stray, tt.lanes, tt.stray)
			}
		})
	}
}
