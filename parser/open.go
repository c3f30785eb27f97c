package parser

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
	"time"

	"github.com/auditchain/auditchain/parser/internal/auditd"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
	"github.com/klauspost/compress/gzip"
)

// Input is one evidence file (or stdin) and what reading it found.
type Input struct {
	Path        string // as given on the command line, or found under a folder given there
	Format      Format
	Compression string // "", "gzip" or "zstd"

	// Filled while and after reading.
	SHA256     string // of the bytes as stored (compressed bytes for .gz)
	Bytes      int64  // bytes as stored
	Records    int    // lines (records) read
	Malformed  int    // records skipped as unreadable
	Duplicates int    // events skipped because an overlapping rotation had them
	First      time.Time
	Last       time.Time
	Errors     ErrorList
	// OutOfOrder counts the places where the records go back in time
	// (order.go); Reordered says they were read in time order all the
	// same, and OrderNote says how, for the report.
	OutOfOrder int
	Reordered  bool
	OrderNote  string

	orderChecked bool // the first pass of order.go ran
	// hashedApart: SHA256 and Bytes come from a read of their own (a plain
	// file's, hash while it runs) or from the first pass of order.go (a
	// compressed file's); the reads of the records only count (hashread.go).
	hashedApart bool
	hash        *storedHash
	// scanned is the stored bytes the first pass of a plain file read to
	// its end, -1 when it did not (hashread.go compares them with the
	// hash's)
	scanned int64

	first time.Time // first record time found by the sniffer, for ordering
	// headNode is the node= name of every record the sniffer saw ("" for
	// none), headNodeOK false when they named several or none was seen
	headNode   string
	headNodeOK bool
	size       int64 // stored size when known before reading (not for stdin)
	open       func() (io.ReadCloser, error)
	// sibling opens a file beside this one by the same rules (paths.go);
	// nil for stdin.
	sibling func(name string) (*os.File, error)
}

// Size returns the stored size known before reading (0 for stdin), for
// progress display.
func (in *Input) Size() int64 { return in.size }

// SkippedInput is a path that was given but could not be used.
type SkippedInput struct {
	Path   string
	Reason string
}

const sniffBytes = 64 << 10

// The sniffer reads past sniffBytes, up to maxSniffBytes, while the head
// holds fewer than minSniffLines whole lines. A first line longer than the
// head (a container's 16 KiB chunk of control bytes, each written as
// "\u0001" in json-file, is 96 KiB; a request with a long URL) was cut,
// failed every sniffer, and the whole file was skipped as "not a log
// format this tool reads": one line an attacker wrote hid the log.
const (
	maxSniffBytes = 4 << 20
	minSniffLines = 8
)

// readHead reads the head of an input for the sniffer: sniffBytes, or more
// while it holds fewer than minSniffLines newlines. full says the head
// was cut by the bound (its last line is then partial).
func readHead(r io.Reader) (head []byte, full bool, err error) {
	head = make([]byte, sniffBytes)
	n, err := io.ReadFull(r, head)
	for n == len(head) && len(head) < maxSniffBytes && bytes.Count(head, []byte("\n")) < minSniffLines {
		more := make([]byte, min(2*len(head), maxSniffBytes))
		copy(more, head)
		var m int
		m, err = io.ReadFull(r, more[n:])
		n += m
		head = more
	}
	return head[:n], n == len(head), err
}

// Resolve expands the arguments (files, folders read recursively, globs,
// "-" for stdin) into inputs, sniffs each one's format and orders them (see
// resolver.done). Paths that do not exist, cannot be read, are not regular
// files, or hold no format we know are returned as skipped, with the
// reason; paths.go says how names and links are handled.
func Resolve(args []string, stdin io.Reader) ([]*Input, []SkippedInput) {
	r := newResolver(stdin)
	for _, a := range args {
		r.arg(a)
	}
	return r.done()
}

func cleanPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return errors.New("no such file or folder")
		case errors.Is(err, fs.ErrPermission):
			return errors.New("permission denied (run as a user who can read the evidence)")
		}
		return pe.Err
	}
	return err
}

// dockerSideFiles names the files Docker keeps beside a container's log; the
// json-file decoder reads config.v2.json itself (name, image).
var dockerSideFiles = map[string]bool{"config.v2.json": true, "hostconfig.json": true, "resolv.conf": true, "hostname": true, "hosts": true, "resolv.conf.hash": true}

// sniffStdin buffers standard input: it can be read only once, so the
// sniffed head is put back in front of the rest.
func sniffStdin(r io.Reader) (*Input, error) {
	br := bufio.NewReaderSize(r, maxSniffBytes)
	head, _ := br.Peek(sniffBytes)
	for size := sniffBytes; len(head) == size && size < maxSniffBytes && bytes.Count(head, []byte("\n")) < minSniffLines; {
		size = min(2*size, maxSniffBytes)
		head, _ = br.Peek(size)
	}
	in := &Input{Path: "-"}
	if err := sniffInput(in, bytes.NewReader(head)); err != nil {
		return nil, err
	}
	used := false
	in.open = func() (io.ReadCloser, error) {
		if used {
			return nil, errors.New("standard input can be read only once")
		}
		used = true
		return io.NopCloser(br), nil
	}
	return in, nil
}

// sniffInput reads the head of an input to learn its compression, format and
// first record time.
func sniffInput(in *Input, r io.Reader) error {
	br := bufio.NewReaderSize(r, sniffBytes)
	magic, _ := br.Peek(4)
	var dr io.Reader = br
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		in.Compression = "gzip"
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		dr = zr
	case len(magic) == 4 && bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		in.Compression = "zstd"
		zr, err := newZstdSniffer(br, DefaultDecompressLimits())
		if err != nil {
			return err
		}
		defer zr.Close()
		dr = zr
	}
	nd := &nulDropper{r: dr, budget: maxSniffNUL}
	head, full, err := readHead(nd)
	n := len(head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		if n == 0 {
			return fmt.Errorf("unreadable: %v", err)
		}
	}
	if n == 0 {
		if nd.dropped > 0 {
			return fmt.Errorf("no text in its first %d bytes, only NUL bytes", nd.dropped)
		}
		return errors.New("empty file")
	}
	if isBinary(head[:min(n, sniffBytes)]) {
		return errors.New("not a log this tool knows (binary content)")
	}
	lines := bytes.Split(head, []byte("\n"))
	if full && len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last one is cut
	}
	all := lines
	if len(lines) > 50 {
		lines = lines[:50]
	}
	in.Format = sniffLines(lines)
	if in.Format == FormatUnknown {
		in.Format = sniffLines(compactDocs(all))
	}
	if in.Format == FormatUnknown {
		return errors.New("not a log format this tool reads")
	}
	if in.Format == FormatAuditd {
		if t, ok := auditd.FirstTime(lines); ok {
			in.first = t
		}
		in.headNode, in.headNodeOK = headNode(lines)
	}
	return nil
}

// compactDocs joins pretty-printed JSON documents (a Tetragon or Kibana
// export saved with indentation) into one line each, so that the line
// sniffers can look at them; the decoders join them the same way.
func compactDocs(lines [][]byte) [][]byte {
	var j jsonrec.Joiner
	var docs []jsonrec.Doc
	for i, l := range lines {
		docs = j.Feed(Pos{Line: i + 1}, bytes.TrimRight(l, "\r"), docs)
	}
	var out [][]byte
	for _, d := range docs {
		var b bytes.Buffer
		if d.Err == nil && json.Compact(&b, d.Doc) == nil {
			out = append(out, b.Bytes())
		}
	}
	return out
}

// countingHash hashes and counts the stored bytes as they are read. The
// hashing runs on its own goroutine: SHA-256 of every byte would otherwise
// sit on the reading goroutine, the one stage of the parse that is serial.
type countingHash struct {
	r        io.Reader
	n        int64
	progress *atomic.Int64 // shared with a progress display, may be nil
	chunks   chan []byte
	free     chan []byte
	sum      chan []byte
}

func newCountingHash(r io.Reader, progress *atomic.Int64) *countingHash {
	c := &countingHash{r: r, progress: progress, chunks: make(chan []byte, 8), free: make(chan []byte, 8), sum: make(chan []byte, 1)}
	go func() {
		h := sha256.New()
		for b := range c.chunks {
			h.Write(b)
			select {
			case c.free <- b[:0]:
			default:
			}
		}
		c.sum <- h.Sum(nil)
	}()
	return c
}

func (c *countingHash) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		var b []byte
		select {
		case b = <-c.free:
		default:
		}
		c.chunks <- append(b, p[:n]...)
		c.n += int64(n)
		if c.progress != nil {
			c.progress.Add(int64(n))
		}
	}
	return n, err
}

// Sum ends the hashing and returns the digest; call it once, after the last Read.
func (c *countingHash) Sum() []byte {
	close(c.chunks)
	return <-c.sum
}

// openStream opens an input for the real read: the stored bytes are hashed,
// then decompressed. done fills SHA256 and Bytes once the stream is drained.
// When the first pass of order.go hashed the file already, the bytes are
// only counted (see hashread.go).
func openStream(in *Input, progress *atomic.Int64, lim DecompressLimits) (r io.Reader, done func(), err error) {
	f, err := in.open()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", in.Path, cleanPathError(err))
	}
	if in.hashedApart {
		r, done, _, err := openCounted(in, f, 0, progress, lim)
		return r, done, err
	}
	ch := newCountingHash(f, progress)
	// Read the rest of the file when the decoder stops early (gzip trailer
	// junk), so the hash covers the file as stored.
	finish := func() {
		io.Copy(io.Discard, ch)
		in.SHA256 = hex.EncodeToString(ch.Sum())
		in.Bytes = ch.n
		f.Close()
	}
	r, release, err := decompress(in, ch, lim)
	if err != nil {
		finish()
		return nil, nil, err
	}
	return r, func() { release(); finish() }, nil
}

// headNode is the one node= name of the audit records among lines ("" for
// records without one); ok is false when they name more than one or no
// line is a record.
func headNode(lines [][]byte) (node string, ok bool) {
	for _, l := range lines {
		n, _, rec := auditd.LineTime(l)
		switch {
		case !rec:
		case !ok:
			node, ok = n, true
		case n != node:
			return "", false
		}
	}
	return node, ok
}

// HeadNode returns the host that the records at the head of an audit log
// name (their node=, "" when they carry none), as the sniffer saw them; ok
// is false for other formats, for standard input, and when the head names
// several hosts or none. It is a hint for partitioning a scan by host: the
// rest of the input may name others, and a reader of one host's partition
// checks every event.
func (in *Input) HeadNode() (node string, ok bool) {
	if in.Format != FormatAuditd || in.Path == "-" {
		return "", false
	}
	return in.headNode, in.headNodeOK
}

// Unread returns a copy of in as it was before any read: what reading
// fills (hashes, counts, times, errors, the order notes) left out. A run
// that gives up a partial read (a scan partitioned by host that found an
// input naming another host) reads the copies again from the start.
func (in *Input) Unread() *Input {
	return &Input{Path: in.Path, Format: in.Format, Compression: in.Compression,
		first: in.first, headNode: in.headNode, headNodeOK: in.headNodeOK,
		size: in.size, open: in.open, sibling: in.sibling, Errors: ErrorList{Max: in.Errors.Max}}
}
