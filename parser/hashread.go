package parser

import (
	"encoding/hex"
	"fmt"
	"io"
	"sync/atomic"
)

// Hashing an auditd file once.
//
// An auditd file that can be opened again is read twice (order.go): a first
// pass over its record headers, then the read proper — and, when it is out
// of time order, the read proper is one stream per lane of runs. Each of
// those streams hashed the whole file (a lane drained the rest of the file
// after its last run so that its hash covered it), so a file out of order
// was read and hashed once per lane on top of the first pass: on the
// benchmark's busy-server log, which goes back in time twice, SHA-256 and
// the copies feeding it were 20% of the scan's CPU.
//
// Now the first pass hashes the file as stored (on its own goroutine, as the
// read proper did) and the reads after it only count the stored bytes; a
// lane of a plain file seeks to its run instead of reading up to it. The
// hash is of the bytes the first pass read; a read after it that reaches
// the end of the file with another length reports the file changed while
// it was read.

// storedCounter counts the stored bytes read after the first pass.
type storedCounter struct {
	r        io.Reader
	n        int64
	eof      bool
	progress *atomic.Int64 // shared with a progress display, may be nil
}

func (c *storedCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress.Add(int64(n))
	}
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}

// openCounted opens the stored bytes of in from off (a plain file is
// sought there; a compressed one is read from its start) without hashing
// them: the first pass did. f is in's opened file.
// It returns where the stream starts: off, or 0 when it could not seek.
func openCounted(in *Input, f io.ReadCloser, off int64, progress *atomic.Int64, lim DecompressLimits) (io.Reader, func(), int64, error) {
	if off > 0 && in.Compression == "" {
		if sk, ok := f.(io.Seeker); !ok {
			off = 0
		} else if _, err := sk.Seek(off, io.SeekStart); err != nil {
			off = 0
		}
	} else {
		off = 0
	}
	c := &storedCounter{r: f, n: off, progress: progress}
	finish := func() {
		if c.eof && c.n != in.Bytes {
			in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: fmt.Errorf(
				"changed while it was read: %d bytes at the first reading (SHA-256 %s), %d at the second", in.Bytes, shortHash(in.SHA256), c.n)})
		}
		f.Close()
	}
	r, release, err := decompress(in, c, lim)
	if err != nil {
		finish()
		return nil, nil, 0, err
	}
	return r, func() { release(); finish() }, off, nil
}

func shortHash(h string) string { return h[:min(len(h), 12)] }

// firstPassHash hashes the stored bytes during the first pass; sum fills
// in's SHA256 and Bytes once the pass has read the file to its end.
func firstPassHash(in *Input, f io.Reader) (r io.Reader, sum func(complete bool)) {
	ch := newCountingHash(f, nil)
	return ch, func(complete bool) {
		if complete {
			io.Copy(io.Discard, ch) // trailing bytes the decompressor left
		}
		s := ch.Sum()
		if complete {
			in.SHA256, in.Bytes, in.hashedFirst = hex.EncodeToString(s), ch.n, true
		}
	}
}
