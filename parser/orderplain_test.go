package parser

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// scanBoth runs the first pass over data as a plain file (scanOrderPlain,
// chunks of chunk bytes) and line by line (scanOrderStream), and fails
// when the runs, the cut or the error differ, or the line-by-line pass's
// hash is not the file's.
func scanBoth(t testing.TB, data []byte, chunk int) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	open := func() *Input {
		return &Input{Path: p, Format: FormatAuditd, open: func() (io.ReadCloser, error) { return os.Open(p) }}
	}
	defer func(c int) { orderChunk = c }(orderChunk)
	orderChunk = chunk
	a, b := open(), open()
	runsA, cutA, errA := scanOrderPlain(a)
	runsB, cutB, errB := scanOrderStream(b, DecompressLimits{})
	if !reflect.DeepEqual(runsA, runsB) || cutA != cutB || (errA == nil) != (errB == nil) {
		t.Fatalf("chunk %d: plain %+v %v %v, stream %+v %v %v", chunk, runsA, cutA, errA, runsB, cutB, errB)
	}
	// a plain file is hashed apart (hashread.go), not by its first pass
	if a.SHA256 != "" || a.Bytes != 0 || a.hashedApart {
		t.Fatalf("chunk %d: the plain first pass hashed: %q %d %v", chunk, a.SHA256, a.Bytes, a.hashedApart)
	}
	if b.hashedApart {
		sum := sha256.Sum256(data)
		if b.SHA256 != hex.EncodeToString(sum[:]) || b.Bytes != int64(len(data)) {
			t.Fatalf("chunk %d: hash %s of %d bytes, want the file's", chunk, b.SHA256, b.Bytes)
		}
	}
}

// TestScanOrderPlain: the first pass over a plain file in chunks finds the
// runs the line-by-line reading finds, on the lab's
// captures cut into pieces out of order, with lines across chunk
// boundaries, long lines, no last newline and carriage returns.
func TestScanOrderPlain(t *testing.T) {
	pieces := labAuditPieces(t, 5)
	swapped := bytes.Join([][]byte{pieces[3], pieces[0], pieces[4], pieces[1], pieces[2]}, nil)
	long := "type=EXECVE msg=audit(1795641375.954:2996): argc=2 a0=\"sh\" a1=\"" + strings.Repeat("x", 3000) + "\"\n"
	cases := map[string][]byte{
		"in order":        bytes.Join(pieces, nil),
		"out of order":    swapped,
		"no last newline": bytes.TrimSuffix(swapped, []byte("\n")),
		"crlf":            bytes.ReplaceAll(swapped[:20000], []byte("\n"), []byte("\r\n")),
		"long lines":      append([]byte(long+string(pieces[1][:5000])+long), pieces[0][:9000]...),
		"node names":      bytes.ReplaceAll(swapped[:30000], []byte("type="), []byte("node=web1 type=")),
		"empty":           nil,
		"blank lines":     []byte("\n\n\n"),
	}
	if f, err := os.Open("../testdata/lab/benign-day/audit.log"); err == nil {
		day, _ := io.ReadAll(f)
		f.Close()
		cases["benign-day"] = day
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			for _, chunk := range []int{1, 7, 100, 511, 512, 513, 4096, 1 << 20} {
				if chunk < 100 && len(data) > 40000 {
					continue // a read a byte: slow, and the small cases cover it
				}
				scanBoth(t, data, chunk)
			}
		})
	}
	// more runs than MaxOrderRuns: cut, and not hashed
	var many bytes.Buffer
	for i := 0; i < MaxOrderRuns+5; i++ {
		ts := 1795641375 - 2*i // every record goes back in time
		many.WriteString("type=SYSCALL msg=audit(" + strconv.Itoa(ts) + ".001:" + strconv.Itoa(i) + "): arch=c000003e\n")
	}
	scanBoth(t, many.Bytes(), 4096)
	scanBoth(t, many.Bytes(), 1<<20)
	// read whole, in stored order: the hash and records of the read
	// proper
	p := filepath.Join(t.TempDir(), "many.log")
	if err := os.WriteFile(p, many.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, ins := readOrder(t, []string{p}, nil)
	sum := sha256.Sum256(many.Bytes())
	if in := ins[0]; in.SHA256 != hex.EncodeToString(sum[:]) || in.Bytes != int64(many.Len()) || in.Records != MaxOrderRuns+5 || !strings.Contains(in.OrderNote, "stored order") || in.Errors.Err() != nil {
		t.Fatalf("cut file read: %s %d bytes, %d records, note %q, errors %v", in.SHA256, in.Bytes, in.Records, in.OrderNote, in.Errors.Err())
	}
}

// FuzzScanOrderPlain: any text, cut into any chunk size, gives the runs and
// hash of the line-by-line first pass.
func FuzzScanOrderPlain(f *testing.F) {
	f.Add([]byte("type=SYSCALL msg=audit(1795641375.966:3001): a\ntype=SYSCALL msg=audit(1795641370.966:3002): b\n"), uint16(9))
	f.Add([]byte("node=a type=X msg=audit(5.1:1): x\nnode=b type=X msg=audit(1.1:2): x\nnode=a type=X msg=audit(2.1:3): x"), uint16(3))
	if zf, err := os.Open("../testdata/lab/webshell-classic/audit.log.gz"); err == nil {
		if zr, err := gzip.NewReader(zf); err == nil {
			data, _ := io.ReadAll(zr)
			f.Add(data[:min(len(data), 4000)], uint16(600))
		}
		zf.Close()
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		scanBoth(t, data, int(chunk%2048)+1)
	})
}

// refTracker is orderTracker as it was, with no cached node: the map
// looked up and written for every record.
type refTracker struct {
	newest map[string]int64
	tol    int64
}

func (o *refTracker) back(node string, t int64) bool {
	if _, ok := o.newest[node]; !ok && len(o.newest) >= 4096 {
		node = ""
	}
	n, ok := o.newest[node]
	if ok && t < n-o.tol {
		clear(o.newest)
		o.newest[node] = t
		return true
	}
	if !ok || t > n {
		o.newest[node] = t
	}
	return false
}

// FuzzOrderTracker: the tracker with its cached node says what the plain
// map said, record by record, for any sequence of nodes and times (a
// byte of data picks one of a few nodes, or a new one past the bound of
// 4096, and moves the time).
func FuzzOrderTracker(f *testing.F) {
	f.Add([]byte{0, 10, 0, 5, 1, 200, 0, 3, 2, 2, 1, 1})
	f.Add([]byte{255, 1, 255, 2, 0, 0, 3, 250, 3, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		got := newOrderTracker()
		want := &refTracker{newest: map[string]int64{}, tol: got.tol}
		var ts int64 = 1 << 40
		fresh := 0
		for i := 0; i+1 < len(data); i += 2 {
			var node string
			switch k := data[i] % 8; {
			case k < 4:
				node = []string{"", "a", "b", "web01"}[k]
			case k == 7: // a flood of names: fill the bound
				for j := 0; j < int(data[i+1])*20; j++ {
					fresh++
					n := "n" + strconv.Itoa(fresh)
					if got.back(n, ts) != want.back(n, ts) {
						t.Fatalf("record %d (flood %s): trackers disagree", i, n)
					}
				}
				continue
			default:
				fresh++
				node = "n" + strconv.Itoa(fresh)
			}
			ts += (int64(data[i+1]) - 128) * int64(ReorderTolerance) / 64
			if g, w := got.back(node, ts), want.back(node, ts); g != w {
				t.Fatalf("record %d (%q at %d): back %v, the map alone says %v", i, node, ts, g, w)
			}
		}
	})
}
