package event

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Pos is a position in an input, in the spirit of go/token.Position.
type Pos struct {
	File   string // path as given on the command line (or inside an archive)
	Line   int    // 1-based line number; 0 when unknown
	Offset int64  // byte offset of the line's start in the decompressed stream
}

// IsValid reports whether the position names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "file:line", "file" or "-" like token.Position.
func (p Pos) String() string {
	s := p.File
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprint(p.Line)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// MaxLine bounds one line of any input; EXECVE records reach hundreds of
// KiB with long argv, so the limit is generous, and a longer line is
// skipped, not fatal.
const MaxLine = 16 << 20

// Sentinel errors carried in Error.Err; test them with errors.Is.
var (
	// ErrHeader means an auditd line lacks a well-formed type=… msg=audit(…) header.
	ErrHeader = errors.New("bad header")
	// ErrField means a field value could not be decoded (bad hex, bad number).
	ErrField = errors.New("bad field")
	// ErrFormat means a line does not follow its input's format at all.
	ErrFormat = errors.New("bad record")
	// ErrTooLong means a line exceeded the reader's hard line limit.
	ErrTooLong = errors.New("line too long")
	// ErrLimit marks what was cut because a bound of parser.Limits was
	// reached.
	ErrLimit = errors.New("limit reached")
	// ErrDuplicate marks an event already read from an overlapping rotation.
	ErrDuplicate = errors.New("duplicate event")
	// ErrRepaired marks a record read after repairing a known quirk of its
	// producer: a warning, not a malformed record; the events are kept.
	ErrRepaired = errors.New("repaired")
)

// Error is a problem with one record of an input, like encoding/csv's ParseError.
type Error struct {
	Pos    Pos
	Record string // the offending text, shortened for display
	Err    error
}

func (e *Error) Error() string {
	if e.Record == "" {
		return fmt.Sprintf("%s: %v", e.Pos, e.Err)
	}
	return fmt.Sprintf("%s: %v: %q", e.Pos, e.Err, e.Record)
}

// Unwrap returns the sentinel or underlying error.
func (e *Error) Unwrap() error { return e.Err }

// NewError builds an *Error whose Record is shortened so that one bad 64 KiB
// line cannot flood stderr.
func NewError(pos Pos, record string, err error) *Error {
	const max = 120
	// Valid UTF-8 first, then the cut at a rune boundary: the other way
	// round, each invalid byte of the kept part became a 3-byte U+FFFD
	// and the record grew past the bound (found by FuzzFalco).
	if len(record) > max+utf8.UTFMax {
		record = record[:max+utf8.UTFMax]
	}
	record = strings.ToValidUTF8(record, "\uFFFD")
	if len(record) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(record[cut]) {
			cut--
		}
		record = record[:cut] + "…"
	}
	return &Error{Pos: pos, Record: record, Err: err}
}

// ErrorList keeps the first Max errors and counts the rest, like go/scanner's
// ErrorList but capped: a corrupted multi-gigabyte file must not hold every
// error in memory.
type ErrorList struct {
	Max   int      // how many errors to keep; 0 means DefaultMaxErrors
	List  []*Error // the first errors, in input order
	Total int      // all errors added, kept or not
}

// DefaultMaxErrors is how many errors an ErrorList keeps unless told otherwise.
const DefaultMaxErrors = 10

// Add records an error.
func (l *ErrorList) Add(e *Error) {
	l.Total++
	max := l.Max
	if max == 0 {
		max = DefaultMaxErrors
	}
	if len(l.List) < max {
		l.List = append(l.List, e)
	}
}

// Err returns nil for an empty list, else the list as an error.
func (l *ErrorList) Err() error {
	if l == nil || l.Total == 0 {
		return nil
	}
	return l
}

func (l *ErrorList) Error() string {
	switch {
	case l.Total == 0:
		return "no errors"
	case l.Total == 1:
		return l.List[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l.List[0], l.Total-1)
}

// ByteSize formats a byte count for messages: exact below 1 KiB, else in
// the largest binary unit that keeps it at least 1.
func ByteSize(n int64) string {
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
