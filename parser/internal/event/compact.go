package event

import (
	"strconv"
	"strings"
	"unsafe"
)

// An auditd event's fields are substrings of its records' text (one copy
// an event, see normalize), so a consumer that keeps an event keeps all of
// it. The timeline keeps every file write and connect of a host for
// linking, for their fields only: about 500 bytes of text each on a busy
// server. Compact gives such an event its own copies of what points into
// the text and lets the text go.

// Compact drops the record text of an event nobody retained with KeepText,
// after copying the fields that point into it. Positions and serials stay:
// they find the text in the evidence.
func (e *Event) Compact() { CompactShared(e, nil) }

// CompactShared is Compact with the copies taken from s when an equal
// string was compacted before (s may be nil: every copy is new). A
// function, not a method, so that it stays out of parser's API.
func CompactShared(e *Event, s *Strings) {
	if e.rawKept || len(e.Evidence) == 0 {
		return
	}
	c := compactor{raws: e.Evidence, shared: s}
	for _, f := range []*string{&e.Host, &e.RecordType, &e.Syscall, &e.Arch, &e.Key,
		&e.TTY, &e.Comm, &e.Exe, &e.Cwd, &e.User, &e.AUser, &e.Subj, &e.Path, &e.OldPath,
		&e.Peer.Family, &e.Peer.IP, &e.Peer.Path, &e.Op, &e.Message, &e.Account} {
		c.own(f)
	}
	if e.rare != nil {
		r := *e.rare // events copied by value may share it
		k := &r.container
		for _, f := range []*string{&k.ID, &k.Name, &k.Image, &k.Pod, &k.Namespace, &k.Runtime} {
			c.own(f)
		}
		e.rare = &r
	}
	src := string(e.Source)
	c.own(&src)
	e.Source = Format(src)
	e.Args = c.ownAll(e.Args)
	for i := range e.Paths {
		p := &e.Paths[i]
		c.own(&p.Name)
		c.own(&p.Nametype)
		c.own(&p.Dev)
	}
	if s != nil {
		// the argv and PATH records of a repeated act are equal too: one
		// slice for all (nobody writes a kept event's slices)
		e.Args = s.args(e.Args)
		e.Paths = s.paths(e.Paths)
	}
	if h := e.HTTP; h != nil {
		for _, f := range []*string{&h.Client, &h.Method, &h.Path, &h.Query, &h.Proto, &h.Referer, &h.UserAgent, &h.VHost} {
			c.own(f)
		}
	}
	if a := e.Alert(); a != nil {
		for _, f := range []*string{&a.Source, &a.Rule, &a.Priority, &a.Output} {
			c.own(f)
		}
		a.Tags = c.ownAll(a.Tags)
	}
	for i := range e.Evidence {
		c.own(&e.Evidence[i].Pos.File)
	}
	for i := range e.Evidence {
		e.Evidence[i].Raw = ""
	}
	e.ProcTitle = "" // the tree read it already (Process.Title)
}

type compactor struct {
	raws   []Evidence
	shared *Strings
}

// Strings shares the copies Compact takes among the events it compacts.
// The events kept past a scan's loop are nearly all repeats (the linking
// lists keep up to 1 000 events of one act, and the acts themselves repeat
// the program, working directory, key and syscall), so most of their
// fields are equal strings: on the pid-repeating log at 2 GB the copies
// were 11 MB of the live heap, one per field per event. The table is
// bounded; past its bound a string seen for the first time is copied
// alone, as without it. The zero Strings is ready to use.
//
// The argv and PATH records of the kept events are shared the same way
// (args, paths): each event's PATH records were a slice of their own, 13
// MiB of the live heap on the pid-repeating log at 2 GB, nearly all of
// them equal to another kept event's.
type Strings struct {
	m     map[string]string
	bytes int
	argvs map[string][]string
	recs  map[string][]PathRecord
	key   []byte // scratch for the keys of argvs and recs
}

// The bound of a Strings table: enough for the distinct fields of the
// kept events of a long log (what repeats is shared long before), small
// beside what it saves.
const (
	maxSharedStrings = 1 << 16
	maxSharedBytes   = 8 << 20
	maxSharedLen     = 512 // a longer string (a long argv word) is rarely repeated
)

// get returns a copy of v owned by the table, or a fresh copy when the
// table is full or v too long to be worth sharing.
func (s *Strings) get(v string) string {
	if len(v) > maxSharedLen {
		return strings.Clone(v)
	}
	if c, ok := s.m[v]; ok {
		return c
	}
	c := strings.Clone(v)
	if len(s.m) < maxSharedStrings && s.bytes+len(c) <= maxSharedBytes {
		if s.m == nil {
			s.m = make(map[string]string)
		}
		s.m[c] = c
		s.bytes += len(c)
	}
	return c
}

// maxSharedSlices bounds each table of shared slices (argvs, PATH
// records); past it a slice seen for the first time stays the event's own.
const maxSharedSlices = 1 << 16

// args returns a slice equal to a, shared with the events compacted
// before that had an equal one; a itself when it is the first or the
// table is full. Its strings are the table's already (own). The key is
// built in a buffer the table reuses: a lookup allocates nothing.
func (s *Strings) args(a []string) []string {
	if len(a) == 0 {
		return a
	}
	k := s.key[:0]
	for _, w := range a {
		k = strconv.AppendInt(k, int64(len(w)), 10)
		k = append(k, ':')
		k = append(k, w...)
	}
	s.key = k
	if c, ok := s.argvs[string(k)]; ok {
		return c
	}
	if len(k) <= maxSharedLen*4 && len(s.argvs) < maxSharedSlices && s.bytes+len(k) <= maxSharedBytes {
		if s.argvs == nil {
			s.argvs = map[string][]string{}
		}
		s.argvs[string(k)] = a
		s.bytes += len(k)
	}
	return a
}

// paths is args for PATH records: equal in every field.
func (s *Strings) paths(a []PathRecord) []PathRecord {
	if len(a) == 0 {
		return a
	}
	k := s.key[:0]
	for _, p := range a {
		for _, v := range []string{p.Name, p.Nametype, p.Dev} {
			k = strconv.AppendInt(k, int64(len(v)), 10)
			k = append(k, ':')
			k = append(k, v...)
		}
		k = strconv.AppendUint(k, uint64(p.Mode), 16)
		k = append(k, ':')
		k = strconv.AppendUint(k, p.Inode, 16)
		k = append(k, ':')
		k = strconv.AppendUint(k, uint64(p.OUID.N), 16)
		k = strconv.AppendBool(k, p.OUID.Set)
		k = append(k, ';')
	}
	s.key = k
	if c, ok := s.recs[string(k)]; ok {
		return c
	}
	if len(k) <= maxSharedLen*4 && len(s.recs) < maxSharedSlices && s.bytes+len(k) <= maxSharedBytes {
		if s.recs == nil {
			s.recs = map[string][]PathRecord{}
		}
		s.recs[string(k)] = a
		s.bytes += len(k)
	}
	return a
}

// inside reports whether s points into one of the records' texts.
func (c compactor) inside(s string) bool {
	if s == "" {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	for _, r := range c.raws {
		if r.Raw == "" {
			continue
		}
		lo := uintptr(unsafe.Pointer(unsafe.StringData(r.Raw)))
		if p >= lo && p < lo+uintptr(len(r.Raw)) {
			return true
		}
	}
	return false
}

func (c compactor) own(s *string) {
	if !c.inside(*s) {
		return
	}
	if c.shared != nil {
		*s = c.shared.get(*s)
		return
	}
	*s = strings.Clone(*s)
}

// ownAll copies a slice's strings into a new slice when any points into the
// text: the slice may be shared, so it is not changed in place.
func (c compactor) ownAll(a []string) []string {
	for i, s := range a {
		if c.inside(s) {
			out := append([]string(nil), a...)
			for j := i; j < len(out); j++ {
				c.own(&out[j])
			}
			return out
		}
	}
	return a
}
