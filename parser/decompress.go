package parser

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sync"
	"sync/atomic"

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
// ErrInflateLimit that names the file and where it was cut; the readers
// record read errors with file:line.
func decompress(in *Input, src io.Reader, lim DecompressLimits) (io.Reader, func(), error) {
	lim = lim.withDefaults()
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

// sniffZstdWindow is the window the sniffer decodes with: it reads the
// first sniffBytes of output only, and no back-reference in them reaches
// further than that plus a block.
const sniffZstdWindow = 8 << 20

// newZstdSniffer opens a zstd stream for the sniffer. A first frame whose
// window is over lim.MaxZstdWindow is refused, as for the real read. A first
// frame that declares a window larger than the sniffer needs is read with
// its window descriptor lowered to sniffZstdWindow, so that sniffing a
// --long=31 file does not allocate its 2 GiB of history: the decoder
// allocates the declared window up front, and the memory it frees is
// zeroed again, page by page, when the real read allocates its own.
func newZstdSniffer(br *bufio.Reader, lim DecompressLimits) (*zstd.Decoder, error) {
	var src io.Reader = br
	if head, _ := br.Peek(zstd.HeaderMaxSize); len(head) > 5 && string(head[:4]) == string(zstdMagic) {
		var h zstd.Header
		if h.Decode(head) == nil {
			wd := windowDescriptor(sniffZstdWindow)
			switch {
			case !h.SingleSegment && h.WindowSize > sniffZstdWindow && h.WindowSize <= lim.MaxZstdWindow:
				// magic, frame header descriptor, window descriptor
				src = io.MultiReader(bytes.NewReader([]byte{head[0], head[1], head[2], head[3], head[4], wd}), br)
				br.Discard(6)
			case h.SingleSegment && h.FrameContentSize > sniffZstdWindow && h.FrameContentSize <= lim.MaxZstdWindow:
				// A single-segment frame's window is its content size.
				// Clear the flag and give it a window descriptor; the
				// content size field keeps its size (it is 2 bytes or
				// more for a size this large).
				src = io.MultiReader(bytes.NewReader([]byte{head[0], head[1], head[2], head[3], head[4] &^ 0x20, wd}), br)
				br.Discard(5)
			}
		}
	}
	return newZstdReader(bufio.NewReaderSize(src, 64<<10), lim, 1)
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
// decoder allocates the window its frame declares (2 GiB for --long=31)
// and keeps it across Reset; a fresh decoder per input would have Go zero a
// recycled 2 GiB buffer again for each rotated file (six such files: 100 s
// and 6 GB before the pool, one buffer with it). Decoders run synchronously
// (concurrency 1): the asynchronous ones allocate a new history per stream.
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

// byteSize formats a byte count for messages: exact below 1 KiB, else in
// the largest binary unit that keeps it at least 1.
func byteSize(n int64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	f, i := float64(n)/1024, 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if f == float64(int64(f)) {
		return fmt.Sprintf("%d %ciB", int64(f), units[i])
	}
	return fmt.Sprintf("%.1f %ciB", f, units[i])
}
