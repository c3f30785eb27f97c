package detect

import "strings"

// Sigma lists are long: the headline rule checks a command line for dozens
// of tools, paths and files, each a "contains". Checked one by one that is
// dozens of scans of the same string per event; multiContains scans it
// once, looking each two-byte window up in a bitmap of the values' first
// two bytes and comparing only the values that start there.

// minMulti is how many contains-values make a multi matcher worth it.
const minMulti = 4

type multiContains struct {
	n      int // values held
	cased  bool
	bitmap [1 << 16 / 64]uint64
	starts map[uint16][]string
}

// buildMulti moves a fieldMatch's plain contains-values into one
// multiContains, when they are many, share their case mode and have at
// least two bytes each. Only for "any of" matches: with |all every value
// must be found, and one scan per value is what that needs.
func (f *fieldMatch) buildMulti() {
	if f.all {
		return
	}
	var idx []int
	cased := false
	for i := range f.vals {
		v := &f.vals[i]
		if v.op != opContains || len(v.s) < 2 {
			continue
		}
		if len(idx) > 0 && v.cased != cased {
			return // mixed case modes: keep the values as they are
		}
		cased = v.cased
		idx = append(idx, i)
	}
	if len(idx) < minMulti {
		return
	}
	m := &multiContains{n: len(idx), cased: cased, starts: map[uint16][]string{}}
	keep := f.vals[:0:0]
	j := 0
	for i := range f.vals {
		if j < len(idx) && idx[j] == i {
			s := f.vals[i].s
			k := uint16(s[0])<<8 | uint16(s[1])
			m.bitmap[k>>6] |= 1 << (k & 63)
			m.starts[k] = append(m.starts[k], s)
			j++
			continue
		}
		keep = append(keep, f.vals[i])
	}
	f.vals, f.multi = keep, m
}

// match reports whether s holds one of the values.
func (m *multiContains) match(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		k := uint16(s[i])<<8 | uint16(s[i+1])
		if m.bitmap[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, p := range m.starts[k] {
			if strings.HasPrefix(s[i:], p) {
				return true
			}
		}
	}
	return false
}
