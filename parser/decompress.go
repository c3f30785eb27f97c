package parser

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Decompression of .gz and .zst inputs, bounded. The evidence may come from
// a machine an attacker controlled: a small compressed file must not make the
// tool read for hours (a bomb) or allocate what the machine does not have (a
// zstd frame that declares a huge window). Each bound is named, has a
// generous default, and when hit the input is cut there and the cut is
// reported with the file; the other inputs are still read.

// DecompressLimits bound what one compressed input may cost. A zero field
// means its default (DefaultDecompressLimits); a negative MaxInflated or
// MaxRatio means no bound.
type DecompressLimits struct {
	// MaxInflated bounds the bytes one compressed input inflates to. Real
	// audit logs compress 10-20×, so the default reads a 3 GiB .gz in full.
	MaxInflated int64
	// MaxRatio bounds inflated bytes per stored byte, checked once
	// ratioGrace bytes have been inflated (a small file of one repeated line
	// may legitimately inflate a lot). Logs reach 10-50×; a bomb, 1000× and
	// more.
	MaxRatio int64
	// MaxZstdWindow bounds the window a zstd frame may declare: the decoder
	// holds that much history in memory. The default is what zstd itself
	// writes with --long=31, its largest; a frame that declares more is
	// refused (zstd refuses it too without --memory).
	MaxZstdWindow uint64

	// decoders, when set (by NewReader), lends zstd decoders to the inputs
	// of one Reader, so that their history buffers are reused.
	decoders *zstdPool
}

// The defaults of DecompressLimits.
const (
	DefaultMaxInflated   = 64 << 30
	DefaultMaxRatio      = 1000
	DefaultMaxZstdWindow = 1 << 31

	// ratioGrace is how much an input may inflate before MaxRatio applies.
	ratioGrace = 64 << 20
)

// DefaultDecompressLimits returns the limits used for a zero field.
func DefaultDecompressLimits() DecompressLimits {
	return DecompressLimits{MaxInflated: DefaultMaxInflated, MaxRatio: DefaultMaxRatio, MaxZstdWindow: DefaultMaxZstdWindow}
}

func (l DecompressLimits) withDefaults() DecompressLimits {
	d := DefaultDecompressLimits()
	if l.MaxInflated == 0 {
		l.MaxInflated = d.MaxInflated
	}
	if l.MaxRatio == 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxZstdWindow == 0 {
		l.MaxZstdWindow = d.MaxZstdWindow
	}
	return l
}

// ErrInflateLimit marks an input cut by a DecompressLimits bound.
var ErrInflateLimit = errors.New("decompression limit reached")

// zstdMagic starts every zstd frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// decompress returns the inflated stream of an input's stored bytes (src,
// not buffered) for in.Compression, bounded by lim, and a function that
// releases the decoder. A cut by a limit surfaces as a read error wrapping
// ErrInflateLimit that says what was cut; the readers record read errors
// with the file and line where they stopped.
func decompress(in *Input, src io.Reader, lim DecompressLimits) (io.Reader, func(), error) {
	lim = lim.withDefaults()
	if in.Compression == "" {
		// Its readers buffer it themselves: a buffer here was one more
		// copy of every byte (the assembler's 1 MiB buffer refilled from
		// this one's, through a short read whenever a line straddled).
		return src, func() {}, nil
	}
	stored := &storedCount{r: src}
	// klauspost's inflaters take a fast path for a *bufio.Reader: keep it
	// directly under them.
	br := bufio.NewReaderSize(stored, 1<<20)
	switch in.Compression {
	case "gzip":
		// gzip.Reader reads concatenated members (multistream) with one
		// reader reset per member; a file of one member per line reads as
		// fast as one member.
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, func() {}, fmt.Errorf("%s: gzip: %w", in.Path, err)
		}
		return &inflateLimiter{r: zr, stored: stored, lim: lim}, func() {}, nil
	case "zstd":
		if in.open != nil && in.Path != "-" { // a file can be opened again
			if src, lowered := lowerZstdWindow(br, lim, smallZstdWindow); lowered {
				zr, err := lim.decoders.get(bufio.NewReaderSize(src, 1<<20), lim)
				if err != nil {
					return nil, func() {}, fmt.Errorf("%s: %w", in.Path, err)
				}
				z := &zstdRetry{in: in, lim: lim, stored: stored, cur: zr}
				return &inflateLimiter{r: &zstdErrors{r: z, lim: lim}, stored: stored, lim: lim}, z.release, nil
			}
		}
		zr, err := lim.decoders.get(br, lim)
		if err != nil {
			return nil, func() {}, fmt.Errorf("%s: %w", in.Path, err)
		}
		return &inflateLimiter{r: &zstdErrors{r: zr, lim: lim}, stored: stored, lim: lim}, func() { lim.decoders.put(zr) }, nil
	}
	return br, func() {}, nil
}

// newZstdReader opens a zstd stream whose windows are bounded by
// lim.MaxZstdWindow. The first frame's header is read ahead so that a window
// over the limit is refused before anything is allocated, with its size.
// concurrency 0 is the library's default.
func newZstdReader(br *bufio.Reader, lim DecompressLimits, concurrency int) (*zstd.Decoder, error) {
	if err := checkZstdWindow(br, lim); err != nil {
		return nil, err
	}
	// Low memory: the history is the window plus one block, not twice the
	// window. MaxMemory bounds single-segment frames, whose window is their
	// declared content size.
	zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(concurrency), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(lim.MaxZstdWindow), zstd.WithDecoderMaxMemory(lim.MaxZstdWindow))
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	return zr, nil
}

// smallZstdWindow is the window a zstd frame that declares a larger one is
// first read with. The sniffer needs no more: it reads at most the first
// maxSniffBytes (4 MiB) of output, and no back-reference in them reaches
// further than that plus a block. The real read of a file tries it too (zstdRetry).
const smallZstdWindow = 8 << 20

// newZstdSniffer opens a zstd stream for the sniffer, its first frame's
// window lowered to smallZstdWindow, so that sniffing a --long=31 file does
// not allocate its 2 GiB of history. A window over lim.MaxZstdWindow is
// refused, as for the real read.
func newZstdSniffer(br *bufio.Reader, lim DecompressLimits) (*zstd.Decoder, error) {
	src, _ := lowerZstdWindow(br, lim, smallZstdWindow)
	return newZstdReader(bufio.NewReaderSize(src, 64<<10), lim, 1)
}

// lowerZstdWindow returns the stream of br with its first frame's window
// lowered to window when it declares more (but not more than
// lim.MaxZstdWindow, which the decoder must refuse), and whether it did.
// The decoder allocates the declared window up front, and Go zeroes a
// recycled buffer again, page by page: for a --long=31 file, 2 GiB of
// memory and seconds, whatever its size. With a lowered window the output
// is either right or the decoder fails on the first back-reference beyond
// what it kept (zstdRetry).
func lowerZstdWindow(br *bufio.Reader, lim DecompressLimits, window uint64) (io.Reader, bool) {
	head, _ := br.Peek(zstd.HeaderMaxSize)
	if len(head) <= 5 || string(head[:4]) != string(zstdMagic) {
		return br, false
	}
	var h zstd.Header
	if h.Decode(head) != nil {
		return br, false
	}
	wd := windowDescriptor(window)
	switch {
	case !h.SingleSegment && h.WindowSize > window && h.WindowSize <= lim.MaxZstdWindow:
		// magic, frame header descriptor, window descriptor
		patched := []byte{head[0], head[1], head[2], head[3], head[4], wd}
		br.Discard(6)
		return io.MultiReader(bytes.NewReader(patched), br), true
	case h.SingleSegment && h.FrameContentSize > window && h.FrameContentSize <= lim.MaxZstdWindow:
		// A single-segment frame's window is its content size. Clear
		// the flag and give it a window descriptor; the content size
		// field keeps its size (2 bytes or more for a size this large).
		patched := []byte{head[0], head[1], head[2], head[3], head[4] &^ 0x20, wd}
		br.Discard(5)
		return io.MultiReader(bytes.NewReader(patched), br), true
	}
	return br, false
}

// zstdRetry reads a zstd file whose first frame was opened with a lowered
// window (lowerZstdWindow). Most logs never refer back further than that,
// and are read without the declared window's memory. When the decoder
// meets a back-reference beyond what it kept, the file is opened again and
// read with the declared window, the bytes already delivered skipped; the
// stored bytes are hashed by the first reading alone.
type zstdRetry struct {
	in     *Input
	lim    DecompressLimits
	stored *storedCount // the ratio limit's count, moved to the new reading
	cur    *zstd.Decoder
	n      int64     // bytes delivered
	again  io.Closer // the second opening, once reopened
}

func (z *zstdRetry) Read(p []byte) (int, error) {
	n, err := z.cur.Read(p)
	z.n += int64(n)
	// klauspost/compress v1.18 has no sentinel for it; TestZstdRetry
	// fails if the message changes.
	if err != nil && z.again == nil && strings.Contains(err.Error(), "bigger than current history") {
		if rerr := z.reopen(); rerr != nil {
			return n, fmt.Errorf("zstd: %v; reading again with the declared window: %w", err, rerr)
		}
		if n > 0 {
			return n, nil
		}
		return z.Read(p)
	}
	return n, err
}

func (z *zstdRetry) reopen() error {
	f, err := z.in.open()
	if err != nil {
		return err
	}
	z.again = f
	z.lim.decoders.put(z.cur)
	z.cur = nil
	z.stored.r = f
	z.stored.n.Store(0)
	d, err := z.lim.decoders.get(bufio.NewReaderSize(z.stored, 1<<20), z.lim)
	if err != nil {
		return err
	}
	z.cur = d
	if _, err := io.CopyN(io.Discard, d, z.n); err != nil {
		return fmt.Errorf("skipping the %d bytes read: %w", z.n, err)
	}
	return nil
}

func (z *zstdRetry) release() {
	if z.cur != nil {
		z.lim.decoders.put(z.cur)
	}
	if z.again != nil {
		z.again.Close()
	}
}

// windowDescriptor encodes a power-of-two zstd window (RFC 8878 3.1.1.1.2).
func windowDescriptor(size uint64) byte {
	return byte(bits.Len64(size)-1-10) << 3
}

// checkZstdWindow refuses a stream whose first frame declares a window
// over lim.MaxZstdWindow, naming its size.
func checkZstdWindow(br *bufio.Reader, lim DecompressLimits) error {
	head, _ := br.Peek(zstd.HeaderMaxSize)
	if len(head) < 4 || string(head[:4]) != string(zstdMagic) {
		return nil
	}
	var h zstd.Header
	if h.Decode(head) != nil {
		return nil // the decoder says what is wrong
	}
	w := h.WindowSize
	if h.SingleSegment {
		w = h.FrameContentSize
	}
	if w > lim.MaxZstdWindow {
		return fmt.Errorf("zstd: %w: the frame needs a window of %s, above the limit of %s (--max-zstd-window); not read",
			ErrInflateLimit, byteSize(int64(w)), byteSize(int64(lim.MaxZstdWindow)))
	}
	return nil
}

// zstdPool keeps the zstd decoders of finished inputs for the next ones. A
// decoder allocates the window its frame declares and keeps it across
// Reset; a fresh decoder per input would have Go zero a recycled buffer of
// that size again for each rotated file (six --long=31 files read with
// their 2 GiB windows: 100 s and 6 GB without the pool, 7-10 s and 2 GB
// with it; zstdRetry spares most files the window altogether). Decoders
// run synchronously (concurrency 1): the asynchronous ones allocate a new
// history per stream, and were slower here (1-2 GB/s against 3).
type zstdPool struct {
	mu   sync.Mutex
	free []*zstd.Decoder
}

// maxIdleZstd bounds the idle decoders kept: each may hold a large window.
const maxIdleZstd = 2

func newZstdPool() *zstdPool { return &zstdPool{} }

// get returns a decoder reading br; a nil pool makes a new one each time.
func (p *zstdPool) get(br *bufio.Reader, lim DecompressLimits) (*zstd.Decoder, error) {
	if p != nil {
		p.mu.Lock()
		var d *zstd.Decoder
		if n := len(p.free); n > 0 {
			d, p.free = p.free[n-1], p.free[:n-1]
		}
		p.mu.Unlock()
		if d != nil {
			if err := checkZstdWindow(br, lim); err != nil {
				p.put(d)
				return nil, err
			}
			if err := d.Reset(br); err != nil {
				d.Close()
				return nil, fmt.Errorf("zstd: %w", err)
			}
			return d, nil
		}
	}
	return newZstdReader(br, lim, 1)
}

// put gives a decoder back once its input is read.
func (p *zstdPool) put(d *zstd.Decoder) {
	if p == nil {
		d.Close()
		return
	}
	d.Reset(nil) // drop the finished input's reader
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxIdleZstd {
		p.free = append(p.free, d)
		return
	}
	d.Close()
}

// close releases the idle decoders.
func (p *zstdPool) close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.free {
		d.Close()
	}
	p.free = nil
}

// zstdErrors names the limit when a later frame of the stream declares a
// window over it.
type zstdErrors struct {
	r   io.Reader
	lim DecompressLimits
}

func (z *zstdErrors) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	if err != nil && (errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded)) {
		err = fmt.Errorf("zstd: %w: a frame needs a window above the limit of %s (--max-zstd-window); the rest not read",
			ErrInflateLimit, byteSize(int64(z.lim.MaxZstdWindow)))
	}
	return n, err
}

// storedCount counts the stored bytes read under the decoder. The zstd
// decoder may read on its own goroutine, hence the atomic.
type storedCount struct {
	r io.Reader
	n atomic.Int64
}

func (c *storedCount) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// inflateLimiter cuts an inflated stream at MaxInflated bytes, or when it
// has grown more than MaxRatio times the stored bytes read so far.
type inflateLimiter struct {
	r      io.Reader
	stored *storedCount
	lim    DecompressLimits
	n      int64
	err    error // sticky, once cut
}

func (l *inflateLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.lim.MaxInflated > 0 {
		left := l.lim.MaxInflated - l.n
		if left <= 0 {
			l.err = l.cut(fmt.Sprintf("inflated size reached the limit of %s per compressed input (--max-inflated)", byteSize(l.lim.MaxInflated)))
			return 0, l.err
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.lim.MaxRatio > 0 && l.n > ratioGrace {
		// The stored count runs ahead of the decoder by its buffer, so
		// the ratio is, if anything, underestimated.
		if s := l.stored.n.Load(); s > 0 && l.n/s > l.lim.MaxRatio {
			l.err = l.cut(fmt.Sprintf("inflated %d times its stored size, above the limit of %d (--max-inflate-ratio): a decompression bomb?", l.n/s, l.lim.MaxRatio))
			return n, nil // the bytes read so far are still evidence
		}
	}
	return n, err
}

func (l *inflateLimiter) cut(why string) error {
	return fmt.Errorf("%w: %s; read %s inflated from %s stored, the rest not read",
		ErrInflateLimit, why, byteSize(l.n), byteSize(l.stored.n.Load()))
}

// byteSize formats a byte count for messages (event.ByteSize).
func byteSize(n int64) string { return event.ByteSize(n) }
