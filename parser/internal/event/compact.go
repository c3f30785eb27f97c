package event

import (
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
func (e *Event) Compact() {
	if e.rawKept || len(e.Evidence) == 0 {
		return
	}
	c := compactor{raws: e.Evidence}
	for _, f := range []*string{&e.Host, &e.RecordType, &e.Syscall, &e.Arch, &e.Key,
		&e.TTY, &e.Comm, &e.Exe, &e.Cwd, &e.User, &e.AUser, &e.Subj, &e.Path, &e.OldPath,
		&e.Peer.Family, &e.Peer.IP, &e.Peer.Path, &e.Op, &e.Message, &e.Account,
		&e.Container.ID, &e.Container.Name, &e.Container.Image, &e.Container.Pod,
		&e.Container.Namespace, &e.Container.Runtime} {
		c.own(f)
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
	if h := e.HTTP; h != nil {
		for _, f := range []*string{&h.Client, &h.Method, &h.Path, &h.Query, &h.Proto, &h.Referer, &h.UserAgent, &h.VHost} {
			c.own(f)
		}
	}
	if a := e.Alert; a != nil {
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

type compactor struct{ raws []Evidence }

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
	if c.inside(*s) {
		*s = strings.Clone(*s)
	}
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
