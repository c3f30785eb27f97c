package parser

import (
	"cmp"
	"slices"
)

// addErrors takes in the field errors of a decoded batch. The assembler
// goroutine adds its own errors and malformed counts to the same Input while
// it reads, so these wait until the input's last batch, which is sent after
// the assembler is done with it, and are merged then in line order.
func (s *auditStream) addErrors(b *batch) {
	s.fieldErrs.Max = b.in.Errors.Max
	for _, e := range b.errs {
		s.fieldErrs.Add(e)
	}
	s.fieldBad += b.bad
	if !b.last {
		return
	}
	in := b.in
	in.Malformed += s.fieldBad
	in.Errors.Total += s.fieldErrs.Total
	list := append(in.Errors.List, s.fieldErrs.List...)
	slices.SortStableFunc(list, func(x, y *Error) int { return cmp.Compare(x.Pos.Line, y.Pos.Line) })
	max := in.Errors.Max
	if max == 0 {
		max = DefaultMaxErrors
	}
	in.Errors.List = list[:min(len(list), max)]
	s.fieldErrs, s.fieldBad = ErrorList{}, 0
}
