package parser

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
)

// The scan keeps positions, not text (the tree's Exec has Pos and Serial
// only): the text of an event is kept while a consumer retains it, and
// every other event's memory is reused. A finding on a file or network
// act names its process, but the exec record that shows the command
// behind the act (the rm that deleted the web shell, the tar that read
// /etc/shadow) was read and let go long before the act. ReadBack reads
// such records again, after the scan, from the files they came from:
// only the few a report quotes, so that memory stays bounded by design.
//
// A record read back is quoted only when the file still says what the
// scan read there: the line at the position must carry the event's audit
// serial. A plain file is read at the offset; a compressed one is inflated
// again from its start up to the last offset asked for, at most
// MaxReadBack bytes of it (a read back past that is skipped and counted,
// never silent).

// MaxReadBack bounds the inflated bytes ReadBack reads of one compressed
// input: a 5 GB archive whose last finding is near its end would cost a
// second full decompression for a few records.
const MaxReadBack = 1 << 30

// maxReadBackLines bounds the lines read from an event's first record
// while looking for the rest of its records (auditd may write another
// event's records between them).
const maxReadBackLines = 64

// maxReadBackLine bounds one line read back (an EXECVE record of a
// hostile argv); a longer one ends the event's text there.
const maxReadBackLine = 4 << 20

// RecordRef names an audit event by the position of its first record and
// its serial.
type RecordRef struct {
	Pos    Pos
	Serial uint64
}

// ReadBackResult is what ReadBack found: the text of each event it could
// read again (lines joined by "\n", as the scan reads them), and how many
// it could not, with why.
type ReadBackResult struct {
	Text    map[RecordRef]string
	Skipped int
	Why     []string // one line per input that could not be read back
}

// ReadBack reads again the text of the audit events refs name from ins
// (the inputs of the scan that gave the positions). Refs of inputs that
// cannot be opened again (stdin, a member of an archive), of other
// formats than auditd, or whose line no longer carries the serial are
// skipped.
func ReadBack(ins []*Input, refs []RecordRef, lim DecompressLimits) ReadBackResult {
	res := ReadBackResult{Text: map[RecordRef]string{}}
	byFile := map[string][]RecordRef{}
	seen := map[RecordRef]bool{}
	for _, r := range refs {
		if r.Serial == 0 || r.Pos.Line <= 0 || r.Pos.Offset < 0 || seen[r] {
			continue
		}
		seen[r] = true
		byFile[r.Pos.File] = append(byFile[r.Pos.File], r)
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, name := range files {
		rs := byFile[name]
		var in *Input
		for _, x := range ins {
			if x.Path == name {
				in = x
				break
			}
		}
		if in == nil || in.open == nil || in.Path == "-" || in.Format != FormatAuditd {
			res.Skipped += len(rs)
			continue
		}
		n, err := readBackFile(in, rs, lim, res.Text)
		res.Skipped += len(rs) - n
		if err != nil {
			res.Why = append(res.Why, err.Error())
		}
	}
	return res
}

// readBackFile reads the events rs name from one input into out and
// returns how many it found.
func readBackFile(in *Input, rs []RecordRef, lim DecompressLimits, out map[RecordRef]string) (int, error) {
	slices.SortFunc(rs, func(a, b RecordRef) int {
		return cmp.Or(cmp.Compare(a.Pos.Offset, b.Pos.Offset), cmp.Compare(a.Serial, b.Serial))
	})
	src, err := in.open()
	if err != nil {
		return 0, fmt.Errorf("%s: read back: %w", in.Path, err)
	}
	defer src.Close()
	var r io.Reader
	var seek io.Seeker
	if in.Compression == "" {
		if f, ok := src.(*os.File); ok {
			seek = f
		}
		r = src
	} else {
		z, release, err := decompress(in, src, lim)
		if err != nil {
			return 0, fmt.Errorf("%s: read back: %w", in.Path, err)
		}
		defer release()
		r = z
	}
	size := 64 << 10
	if seek != nil {
		// a seek per event: a few lines are read after each, not a
		// stream's worth (2 200 quoted execs of a 100 MB log read 140 MB
		// with 64 KiB buffers)
		size = 4 << 10
	}
	w := &lineWindow{br: bufio.NewReaderSize(r, size), src: src, seek: seek}
	found := 0
	for _, ref := range rs {
		i, err := w.at(ref.Pos.Offset)
		if err != nil {
			return found, fmt.Errorf("%s: read back: %w", in.Path, err)
		}
		if i < 0 {
			continue // not a line's start, or behind a stream's position
		}
		if text := w.eventText(i, ref.Serial); text != "" {
			out[ref] = text
			found++
		}
	}
	return found, nil
}

// lineWindow holds the lines read from one position of an input: the
// events asked for at nearby offsets (another event's records interleaved
// with one's) are read from it without reading the stream again.
type lineWindow struct {
	br    *bufio.Reader
	src   io.Reader // the stored file, for a seek
	seek  io.Seeker // nil for a stream (a compressed input)
	next  int64     // offset of br's next byte
	offs  []int64   // the offset of each line held
	lines [][]byte  // the lines held, without their line ends
	eof   bool
}

// at returns the index of the held line that starts at off, reading up to
// it; -1 when no line starts there, or a stream is already past it.
func (w *lineWindow) at(off int64) (int, error) {
	if i, ok := slices.BinarySearch(w.offs, off); ok {
		return i, nil
	}
	if len(w.offs) > 0 && off > w.offs[0] && off < w.next {
		return -1, nil // inside a held line
	}
	if off < w.next && w.seek == nil {
		return -1, nil
	}
	w.offs, w.lines, w.eof = w.offs[:0], w.lines[:0], false
	if w.seek != nil {
		if _, err := w.seek.Seek(off, io.SeekStart); err != nil {
			return -1, err
		}
		w.br.Reset(w.src)
		w.next = off
	} else {
		if off > MaxReadBack {
			return -1, fmt.Errorf("records past the first %s of the inflated stream were not read again (the exec records of the acts found there are not quoted)", byteSize(MaxReadBack))
		}
		n, err := io.CopyN(io.Discard, w.br, off-w.next)
		w.next += n
		if err == io.EOF {
			return -1, nil
		} else if err != nil {
			return -1, err
		}
	}
	if err := w.fill(1); err != nil {
		return -1, err
	}
	if len(w.offs) == 0 {
		return -1, nil
	}
	return 0, nil
}

// fill reads lines until n are held or the input ends.
func (w *lineWindow) fill(n int) error {
	for len(w.lines) < n && !w.eof {
		line, read, err := readLine(w.br, nil)
		if read > 0 {
			w.offs = append(w.offs, w.next)
			w.lines = append(w.lines, bytes.TrimRight(line, "\r\n"))
			w.next += int64(read)
		}
		if err == io.EOF {
			w.eof = true
		} else if err != nil {
			return err
		}
	}
	return nil
}

// eventText returns the records of the audit event serial from the held
// line i on, which must be its first record; "" when it is not.
func (w *lineWindow) eventText(i int, serial uint64) string {
	tag := []byte(":" + strconv.FormatUint(serial, 10) + "):")
	var b []byte
	for k, miss := i, 0; k < i+maxReadBackLines && miss < 8; k++ {
		if w.fill(k+1) != nil || k >= len(w.lines) {
			break
		}
		l := w.lines[k]
		switch {
		case hasSerial(l, tag):
			if len(b) > 0 {
				b = append(b, '\n')
			}
			b = append(b, l...)
			miss = 0
		case k == i:
			return "" // the file no longer says what the scan read
		case len(l) > 0:
			miss++
		}
	}
	return string(b)
}

// hasSerial reports whether an audit line's header (msg=audit(TIME:SERIAL):)
// carries tag (":SERIAL):").
func hasSerial(l, tag []byte) bool {
	i := bytes.Index(l, []byte("msg=audit("))
	if i < 0 || i > 64 {
		return false
	}
	j := bytes.IndexByte(l[i:], ')')
	if j < 0 {
		return false
	}
	return bytes.HasSuffix(l[i:i+j+2], tag)
}

// readLine appends the next line (with its newline) to buf and says how
// many bytes it read; a line longer than maxReadBackLine is cut there and
// the rest of it skipped.
func readLine(br *bufio.Reader, buf []byte) ([]byte, int, error) {
	read, cut := 0, false
	for {
		s, err := br.ReadSlice('\n')
		read += len(s)
		if cut = cut || len(buf)+len(s) > maxReadBackLine; !cut {
			buf = append(buf, s...)
		}
		if err != bufio.ErrBufferFull {
			return buf, read, err
		}
	}
}
