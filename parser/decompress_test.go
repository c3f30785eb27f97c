package parser

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/zstdframe"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func auditLines(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		b.WriteString("type=SYSCALL msg=audit(1773483631.114:" + strings.Repeat("1", 1+i%5) + "): arch=c000003e syscall=59 success=yes exit=0 pid=2310 ppid=2140 comm=\"sh\" exe=\"/usr/bin/dash\"\n")
	}
	return b.Bytes()
}

func readDecompressed(t *testing.T, compression string, stored []byte, lim DecompressLimits) ([]byte, error) {
	t.Helper()
	in := &Input{Path: "ev.log.x", Compression: compression}
	r, release, err := decompress(in, bytes.NewReader(stored), lim)
	if err != nil {
		return nil, err
	}
	defer release()
	return io.ReadAll(r)
}

// TestSniffZstdLongWindow: files compressed with zstd --long=30/31 from a
// pipe declare a 1-2 GiB window, beyond the library's 512 MiB default; the
// sniffer refused them as unreadable.
func TestSniffZstdLongWindow(t *testing.T) {
	body := auditLines(50)
	singleSegment := func(size uint64) []byte {
		// a frame written from a file: single segment, 4-byte content size
		b := zstdframe.Build(1<<20, body, 'A', int(size)-len(body)) // the content it declares
		h := append([]byte{}, zstdMagic...)
		h = append(h, 0x20|2<<6, byte(size), byte(size>>8), byte(size>>16), byte(size>>24))
		return append(h, b[6:]...)
	}
	for _, c := range []struct {
		name    string
		stored  []byte
		wantErr string
	}{
		{"long=27", zstdframe.Build(1<<27, body, 0, 0), ""},
		{"long=30", zstdframe.Build(1<<30, body, 0, 0), ""},
		{"long=31", zstdframe.Build(1<<31, body, 0, 0), ""},
		{"single segment of 2 GiB", singleSegment(1<<31 - 1), ""},
		{"crafted 4 GiB window", zstdframe.Build(1<<32, body, 0, 0), "window of 4 GiB, above the limit of 2 GiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := &Input{Path: "audit.log.zst"}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := sniffInput(in, bytes.NewReader(c.stored))
			runtime.ReadMemStats(&after)
			if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
				t.Errorf("sniffing allocated %d MiB: the declared window, not what the sniffer needs", d>>20)
			}
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("sniff: got %v, want an error with %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("sniff: %v", err)
			}
			if in.Format != FormatAuditd || in.Compression != "zstd" {
				t.Errorf("sniffed %s/%s, want auditd/zstd", in.Format, in.Compression)
			}
		})
	}
}

// TestZstdWindowLimit: a window over MaxZstdWindow is refused before the
// decoder allocates it, in the first frame or in a later one, and the
// message says which limit.
func TestZstdWindowLimit(t *testing.T) {
	body := auditLines(20)
	lim := DecompressLimits{MaxZstdWindow: 1 << 20}
	small := zstdframe.Build(1<<20, body, 0, 0)
	big := zstdframe.Build(1<<22, body, 0, 0)
	for _, c := range []struct {
		name    string
		stored  []byte
		want    []byte
		wantErr string
	}{
		{"at the limit", small, body, ""},
		{"first frame over", big, nil, "window of 4 MiB, above the limit of 1 MiB (--max-zstd-window)"},
		{"later frame over", append(append([]byte{}, small...), big...), body, "above the limit of 1 MiB (--max-zstd-window)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readDecompressed(t, "zstd", c.stored, lim)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr) || !errors.Is(err, ErrInflateLimit)) {
				t.Fatalf("got error %v, want %q", err, c.wantErr)
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("read %d bytes, want %d", len(got), len(c.want))
			}
		})
	}
}

// TestInflateLimits: an input is cut at MaxInflated, or once it inflates
// more than MaxRatio times its stored size; what was read before the cut
// is kept and the cut says where.
func TestInflateLimits(t *testing.T) {
	head := auditLines(10)
	bomb := zstdframe.Build(1<<20, head, 'A', 66<<20) // 66 MiB from ~3 KiB: past the grace
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat(head, 300)) // ~40 KiB
	zw.Close()
	for _, c := range []struct {
		name        string
		compression string
		stored      []byte
		lim         DecompressLimits
		wantLen     int // inflated bytes returned; -1: at least ratioGrace
		wantErr     string
	}{
		{"bomb cut by the default ratio", "zstd", bomb, DecompressLimits{}, -1, "above the limit of 1000 (--max-inflate-ratio)"},
		{"bomb within a raised ratio", "zstd", bomb, DecompressLimits{MaxRatio: -1}, len(head) + 66<<20, ""},
		{"gzip cut at MaxInflated", "gzip", gz.Bytes(), DecompressLimits{MaxInflated: 10 << 10}, 10 << 10, "reached the limit of 10 KiB per compressed input (--max-inflated)"},
		{"gzip under MaxInflated", "gzip", gz.Bytes(), DecompressLimits{MaxInflated: 1 << 20}, 300 * len(head), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readDecompressed(t, c.compression, c.stored, c.lim)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr) || !errors.Is(err, ErrInflateLimit)) {
				t.Fatalf("got error %v, want %q", err, c.wantErr)
			}
			switch {
			case c.wantLen >= 0 && len(got) != c.wantLen:
				t.Errorf("read %d bytes, want %d", len(got), c.wantLen)
			case c.wantLen < 0 && (len(got) < ratioGrace || len(got) > ratioGrace+2<<20):
				t.Errorf("read %d bytes, want just past the %d byte grace", len(got), ratioGrace)
			}
			if !bytes.HasPrefix(got, head) {
				t.Errorf("the bytes before the cut are lost")
			}
		})
	}
}

// TestGzipManyMembers: a gzip stream of one member per line (some
// shippers write one) reads in linear time.
func TestGzipManyMembers(t *testing.T) {
	line := auditLines(1)
	var stored bytes.Buffer
	const members = 100_000
	member := func(b []byte) {
		zw := gzip.NewWriter(&stored)
		zw.Write(b)
		zw.Close()
	}
	member(line)
	member([]byte("\n"))
	pair := stored.Bytes()
	stored = *bytes.NewBuffer(bytes.Repeat(pair, members/2))
	start := time.Now()
	got, err := readDecompressed(t, "gzip", stored.Bytes(), DecompressLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d members took %v", members, d)
	}
	if want := members/2*len(line) + members/2; len(got) != want {
		t.Errorf("read %d bytes, want %d", len(got), want)
	}
}

// TestZstdPoolReuse: a decoder handed back is reused for the next input
// and reads it from its start.
func TestZstdPoolReuse(t *testing.T) {
	p := newZstdPool()
	defer p.close()
	lim := DecompressLimits{decoders: p}.withDefaults()
	for i, body := range [][]byte{auditLines(3), auditLines(7), auditLines(1)} {
		got, err := readDecompressed(t, "zstd", zstdframe.Build(1<<20, body, 0, 0), lim)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("input %d: %d bytes, %v; want %d bytes", i, len(got), err, len(body))
		}
		if len(p.free) != 1 {
			t.Fatalf("input %d: %d idle decoders, want the one reused", i, len(p.free))
		}
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1 << 10: "1 KiB", 1536: "1.5 KiB", 1 << 31: "2 GiB", 64 << 30: "64 GiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzDecompress: whatever the stored bytes, decompression neither panics
// nor returns more than MaxInflated, nor lets a frame past MaxZstdWindow
// allocate; the sniffer takes the same bytes.
func FuzzDecompress(f *testing.F) {
	body := auditLines(5)
	var gz bytes.Buffer
	for i := 0; i < 3; i++ { // three members
		zw := gzip.NewWriter(&gz)
		zw.Write(body)
		zw.Close()
	}
	f.Add(gz.Bytes())
	f.Add(zstdframe.Build(1<<20, body, 0, 0))
	f.Add(zstdframe.Build(1<<31, body, 0, 0))
	f.Add(zstdframe.Build(1<<20, body, 'A', 300<<10))
	f.Add(append(zstdframe.Build(1<<20, body, 0, 0), zstdframe.Build(1<<40, body, 0, 0)...))
	lim := DecompressLimits{MaxInflated: 256 << 10, MaxZstdWindow: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []string{"gzip", "zstd"} {
			in := &Input{Path: "fuzz", Compression: c}
			r, release, err := decompress(in, bytes.NewReader(data), lim)
			if err != nil {
				continue
			}
			n, _ := io.Copy(io.Discard, r)
			release()
			if n > lim.MaxInflated {
				t.Fatalf("%s: %d bytes past MaxInflated %d", c, n, lim.MaxInflated)
			}
		}
		sniffInput(&Input{Path: "fuzz"}, bytes.NewReader(data))
	})
}

// TestZstdRetry: a zstd file that declares a large window is read with a
// small one first; one that refers back further is read again with its
// declared window, with the same output. Either way what is read is the
// file's content.
func TestZstdRetry(t *testing.T) {
	random := func(n int) []byte {
		b := make([]byte, n)
		rand.New(rand.NewSource(int64(n))).Read(b)
		return b
	}
	encode := func(data []byte) []byte {
		var b bytes.Buffer
		zw, err := zstd.NewWriter(&b, zstd.WithWindowSize(16<<20), zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(data)
		zw.Close()
		return b.Bytes()
	}
	near, far := random(1<<20), random(9<<20)
	dir := t.TempDir()
	for _, c := range []struct {
		name      string
		content   []byte
		stored    []byte
		wantRetry bool
	}{
		{"--long=31, small file", auditLines(50), zstdframe.Build(1<<31, auditLines(50), 0, 0), false},
		{"references within the small window", append(append([]byte{}, near...), near...), nil, false},
		{"a reference past it", append(append([]byte{}, far...), far...), nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			stored := c.stored
			if stored == nil {
				stored = encode(c.content)
				if len(stored) > len(c.content)*3/4 {
					t.Fatalf("the encoder found no back-reference (%d of %d bytes)", len(stored), len(c.content))
				}
			}
			p := filepath.Join(dir, "x.zst")
			if err := os.WriteFile(p, stored, 0o644); err != nil {
				t.Fatal(err)
			}
			in := &Input{Path: p, Compression: "zstd", open: func() (io.ReadCloser, error) { return os.Open(p) }}
			lim := DecompressLimits{decoders: newZstdPool()}
			defer lim.decoders.close()
			r, release, err := decompress(in, bytes.NewReader(stored), lim)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			z := r.(*inflateLimiter).r.(*zstdErrors).r.(*zstdRetry)
			retried := z.again != nil
			release()
			if err != nil || !bytes.Equal(got, c.content) {
				t.Fatalf("read %d bytes, %v; want the %d bytes of the file", len(got), err, len(c.content))
			}
			if retried != c.wantRetry {
				t.Errorf("read again: %t, want %t", retried, c.wantRetry)
			}
		})
	}
}
