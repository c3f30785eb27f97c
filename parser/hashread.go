package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
// So a file is hashed once, apart from the reads that decode it, which only
// count the stored bytes; a lane of a plain file seeks to its run instead
// of reading up to it. A plain file is hashed by a read of its own on a
// goroutine of its own (startStoredHash), opened before the first pass and
// running beside it and the read proper: the first pass, which the whole
// scan waits for, ran at the pace of SHA-256 when it hashed (0.50–0.54 s of
// a 500 MB log's first pass, 0.20 s without), and the read proper, when
// the first pass had not read to the end, copied every chunk for its
// hashing goroutine. A compressed file is still hashed by the first pass
// (firstPassHash), whose pace its decompression sets. Either way the hash
// is of the bytes one read saw; a read of the records that reaches the end
// of the file with another length reports that the file changed while it
// was read.

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
		if c.eof {
			// a lane that ends before the file does (order.go) need
			// not wait for the hash: the input's last batch does
			in.awaitHash()
			if in.SHA256 != "" && c.n != in.Bytes {
				in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: fmt.Errorf(
					"changed while it was read: %d bytes at the first reading (SHA-256 %s), %d at the second", in.Bytes, shortHash(in.SHA256), c.n)})
			}
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
			in.SHA256, in.Bytes, in.hashedApart = hex.EncodeToString(s), ch.n, true
		}
	}
}

// storedHash is the SHA-256 of a plain file's stored bytes, read and
// hashed on a goroutine of its own.
type storedHash struct {
	done chan struct{}
	sum  []byte
	n    int64
	err  error
}

// hashChunk is what storedHash reads at a time: small enough to stay in
// the cache between the read's copy and the hashing.
const hashChunk = 256 << 10

// startStoredHash hashes a plain input apart (see above): it opens the file
// now, so that this read is the input's first, and reads and hashes it on
// a goroutine until its end or until stop is closed. It returns false when
// the file cannot be opened (the reads after report why).
func (in *Input) startStoredHash(stop <-chan struct{}) bool {
	f, err := in.open()
	if err != nil {
		return false
	}
	h := &storedHash{done: make(chan struct{})}
	in.hash, in.hashedApart, in.scanned = h, true, -1
	go func() {
		defer close(h.done)
		defer f.Close()
		d := sha256.New()
		buf := make([]byte, hashChunk)
		for {
			select {
			case <-stop:
				h.err = errStopped
				return
			default:
			}
			n, err := f.Read(buf)
			d.Write(buf[:n])
			h.n += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				h.err = err
				return
			}
		}
		h.sum = d.Sum(nil)
	}()
	return true
}

var errStopped = errors.New("reading stopped")

// awaitHash waits for the input's hash apart, if one runs, and fills
// SHA256 and Bytes; reading the input calls it before its counts are final.
func (in *Input) awaitHash() {
	h := in.hash
	if h == nil {
		return
	}
	in.hash = nil
	<-h.done
	switch {
	case h.err == errStopped:
	case h.err != nil:
		in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: fmt.Errorf("hashing the file as stored: %w", h.err)})
	default:
		in.SHA256, in.Bytes = hex.EncodeToString(h.sum), h.n
		if in.scanned >= 0 && in.scanned != h.n {
			in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: fmt.Errorf(
				"changed while it was read: %d bytes at the first reading (SHA-256 %s), %d at the second", h.n, shortHash(in.SHA256), in.scanned)})
		}
	}
}
