// Package lazydfa answers regexp.MatchString with a lazily built DFA.
//
// Go's regexp is linear in the text but slow on long texts: past a few
// hundred bytes it leaves its backtracker for a Pike VM that follows every
// live thread of the program at every byte, 40–3000 KB/s for the command
// patterns detect runs. A command line may be 6 MiB (Linux's argv+envp
// bound) and the attacker writes it, so a log of many long execs took hours
// (README, Limits: hostile input). A DFA visits each byte once with one
// table lookup: the states (sets of program positions) are built on first
// use from Go's own compiled program, so the answer is the regexp's by
// construction (FuzzMatchString compares the two on any expression and
// text). The cache of states is bounded; when it fills it is cleared and
// rebuilt, so memory stays small and the worst case is the Pike VM's speed
// again, never worse than regexp's order of cost.
package lazydfa

import (
	"encoding/binary"
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"sync"
	"unicode/utf8"
)

// Matcher is a compiled expression whose MatchString runs on a lazy DFA,
// and whose FindAll… and Split find where matches start with a DFA of the
// reversed expression, one backward pass, before Go's regexp reads each
// match from its start (so the submatches are regexp's own). The embedded
// *regexp.Regexp serves every other method as before. Safe for
// concurrent use.
type Matcher struct {
	*regexp.Regexp
	fwd *dfa // nil: the program has something the DFA does not model; everything is the regexp's

	findOnce sync.Once
	rev      *dfa           // the reversed expression: where matches start
	atStart  *regexp.Regexp // ^(?:RE): a match at the text's start
	afterOne *regexp.Regexp // ^(?s:.)(?:RE): a match after one rune, which gives the left context
}

// MustCompile is regexp.MustCompile with a DFA for MatchString.
func MustCompile(expr string) *Matcher {
	return New(regexp.MustCompile(expr))
}

// Compile is regexp.Compile with a DFA for MatchString.
func Compile(expr string) (*Matcher, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	return New(re), nil
}

// New wraps re. re must come from regexp.Compile (Perl syntax, leftmost-
// first: not CompilePOSIX, not Longest): the DFA and the FindAll methods
// reparse re.String() with those flags.
func New(re *regexp.Regexp) *Matcher {
	m := &Matcher{Regexp: re}
	sre, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return m
	}
	m.fwd = newDFA(sre.Simplify())
	return m
}

func newDFA(re *syntax.Regexp) *dfa {
	prog, err := syntax.Compile(re)
	if err != nil || len(prog.Inst) > maxInst {
		return nil
	}
	d := &dfa{prog: prog}
	d.pool.New = func() any { return &cache{index: make(map[string]int32)} }
	return d
}

// maxInst: a program bigger than this keeps regexp (a state would be a
// long list of positions, and the cache small in states).
const maxInst = 1 << 14

// Bounds of one cache (one per goroutine matching at a time): past either
// the cache is cleared and built again from the current state. (Variables
// so that a test can make the cache small.)
var (
	maxStates  = 4096    // 4096 × 128 transitions × 4 bytes = 2 MiB
	maxWideMem = 1 << 16 // transitions on non-ASCII runes kept
)

// flags of the text just before the state (for the reversed expression:
// just after it): what the empty-width assertions (^ $ \b \B, (?m) ^ $)
// need to know of that side.
const (
	flagBegin   = 1 << iota // at the start of the text
	flagNewline             // after '\n'
	flagWord                // after an ASCII word character
)

// A transition is the next state's index+1, with hit set when a match
// ended before the rune read (the match instruction was reached with the
// rune as right context); 0 is a transition not built yet.
const hit int32 = 1 << 30

type dfa struct {
	prog *syntax.Prog
	pool sync.Pool // *cache
}

type state struct {
	pcs   []uint32 // instructions waiting for the next rune: rune, empty-width and match instructions
	flags uint8
	next  [128]int32
	wide  map[rune]int32
}

type cache struct {
	states []*state
	index  map[string]int32
	wide   int
	// start is the state before the first rune (index+1; 0 until built,
	// and again after a reset): every match begins there, and building
	// it is a closure over the program and a lookup by key
	start int32
	// scratch
	key   []byte
	stack []uint32
	seen  []uint32 // generation marks per instruction
	gen   uint32
	runes []uint32
	out   []uint32
}

// nextGen starts a new generation of instruction marks.
func (c *cache) nextGen() {
	if c.gen == ^uint32(0) {
		clear(c.seen)
		c.gen = 0
	}
	c.gen++
}

func (c *cache) reset() {
	c.states = c.states[:0]
	clear(c.index)
	c.wide = 0
	c.start = 0
}

func (d *dfa) get() *cache {
	c := d.pool.Get().(*cache)
	if len(c.seen) < len(d.prog.Inst) {
		c.seen = make([]uint32, len(d.prog.Inst))
		c.gen = 0
	}
	return c
}

// move is the transition of state cur on r, from the cache or built.
func (d *dfa) move(c *cache, cur int32, r rune) int32 {
	st := c.states[cur-1]
	if r >= 0 && r < utf8.RuneSelf {
		if t := st.next[r]; t != 0 {
			return t
		}
		t := d.step(c, cur, r)
		if int(cur) <= len(c.states) && c.states[cur-1] == st { // not cleared meanwhile
			st.next[r] = t
		}
		return t
	}
	if t, ok := st.wide[r]; ok {
		return t
	}
	t := d.step(c, cur, r)
	if r >= 0 && int(cur) <= len(c.states) && c.states[cur-1] == st && c.wide < maxWideMem {
		if st.wide == nil {
			st.wide = make(map[rune]int32)
		}
		st.wide[r] = t
		c.wide++
	}
	return t
}

// MatchString reports whether s contains any match of the expression, as
// regexp's MatchString does.
func (m *Matcher) MatchString(s string) bool {
	d := m.fwd
	if d == nil {
		return m.Regexp.MatchString(s)
	}
	c := d.get()
	defer d.pool.Put(c)
	cur := d.startState(c)
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			// the common case inline: one load per byte
			t := c.states[cur-1].next[b]
			if t == 0 {
				t = d.move(c, cur, rune(b))
			}
			if t&hit != 0 {
				return true
			}
			cur = t
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		t := d.move(c, cur, r)
		if t&hit != 0 {
			return true
		}
		cur = t
		i += w
	}
	return d.step(c, cur, -1)&hit != 0
}

// startState is the state before the first rune.
func (d *dfa) startState(c *cache) int32 {
	if c.start != 0 {
		return c.start
	}
	c.nextGen()
	c.out = d.closure(c, c.out[:0], uint32(d.prog.Start))
	c.start = d.intern(c, c.out, flagBegin|flagNewline)
	return c.start
}

// step builds the transition of state cur on rune r (-1: the end of the
// text): the empty-width assertions its instructions wait on are decided
// by the runes on either side, the rune instructions that accept r move
// on, and a new thread starts after r (the search is unanchored).
func (d *dfa) step(c *cache, cur int32, r rune) int32 {
	st := c.states[cur-1]
	var op syntax.EmptyOp
	if st.flags&flagBegin != 0 {
		op |= syntax.EmptyBeginText | syntax.EmptyBeginLine
	} else if st.flags&flagNewline != 0 {
		op |= syntax.EmptyBeginLine
	}
	if r < 0 {
		op |= syntax.EmptyEndText | syntax.EmptyEndLine
	} else if r == '\n' {
		op |= syntax.EmptyEndLine
	}
	if (st.flags&flagWord != 0) != (r >= 0 && syntax.IsWordChar(r)) {
		op |= syntax.EmptyWordBoundary
	} else {
		op |= syntax.EmptyNoWordBoundary
	}
	// follow the assertions that hold here
	var found int32
	c.nextGen()
	c.runes = c.runes[:0]
	c.stack = append(c.stack[:0], st.pcs...)
	for len(c.stack) > 0 {
		pc := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		if c.seen[pc] == c.gen {
			continue
		}
		c.seen[pc] = c.gen
		in := &d.prog.Inst[pc]
		switch in.Op {
		case syntax.InstMatch:
			found = hit
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^op == 0 {
				c.stack = append(c.stack, in.Out)
			}
		case syntax.InstAlt, syntax.InstAltMatch:
			c.stack = append(c.stack, in.Arg, in.Out)
		case syntax.InstNop, syntax.InstCapture:
			c.stack = append(c.stack, in.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			c.runes = append(c.runes, pc)
		}
	}
	if r < 0 {
		return found // no state after the end
	}
	c.nextGen()
	c.out = c.out[:0]
	for _, pc := range c.runes {
		if d.prog.Inst[pc].MatchRune(r) {
			c.out = d.closure(c, c.out, d.prog.Inst[pc].Out)
		}
	}
	c.out = d.closure(c, c.out, uint32(d.prog.Start))
	var fl uint8
	if r == '\n' {
		fl |= flagNewline
	}
	if syntax.IsWordChar(r) {
		fl |= flagWord
	}
	return d.intern(c, c.out, fl) | found
}

// closure adds to out the instructions reachable from pc without reading
// a rune or deciding an assertion, marking them in the current generation.
func (d *dfa) closure(c *cache, out []uint32, pc uint32) []uint32 {
	c.stack = append(c.stack[:0], pc)
	for len(c.stack) > 0 {
		pc := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		if c.seen[pc] == c.gen {
			continue
		}
		c.seen[pc] = c.gen
		in := &d.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			c.stack = append(c.stack, in.Arg, in.Out)
		case syntax.InstNop, syntax.InstCapture:
			c.stack = append(c.stack, in.Out)
		case syntax.InstFail:
		default: // rune, empty-width, match: waits for the next rune
			out = append(out, pc)
		}
	}
	return out
}

// intern returns the state of the set pcs with flags, building it when new
// (and clearing the cache first when it is full).
func (d *dfa) intern(c *cache, pcs []uint32, flags uint8) int32 {
	slices.Sort(pcs)
	c.key = append(c.key[:0], flags)
	for _, pc := range pcs {
		c.key = binary.AppendUvarint(c.key, uint64(pc))
	}
	if i, ok := c.index[string(c.key)]; ok {
		return i
	}
	if len(c.states) >= maxStates {
		c.reset()
	}
	st := &state{pcs: slices.Clone(pcs), flags: flags}
	c.states = append(c.states, st)
	i := int32(len(c.states))
	c.index[string(c.key)] = i
	return i
}

// starts marks in a bit set every position of s where a match begins: the
// reversed expression's DFA read from the end of s backwards.
func (d *dfa) starts(s string) []uint64 {
	set := make([]uint64, len(s)/64+1)
	c := d.get()
	defer d.pool.Put(c)
	cur := d.startState(c)
	for i := len(s); i > 0; {
		r, w := rune(s[i-1]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeLastRuneInString(s[:i])
		}
		t := d.move(c, cur, r)
		if t&hit != 0 {
			set[i/64] |= 1 << (i % 64)
		}
		cur = t &^ hit
		i -= w
	}
	if d.step(c, cur, -1)&hit != 0 {
		set[0] |= 1
	}
	return set
}

// nextStart is the first position ≥ from marked in set, or -1.
func nextStart(set []uint64, from, n int) int {
	for w := from / 64; w < len(set); w++ {
		b := set[w]
		if w == from/64 {
			b &= ^uint64(0) << (from % 64)
		}
		if b != 0 {
			if p := w*64 + bits.TrailingZeros64(b); p <= n {
				return p
			}
			return -1
		}
	}
	return -1
}

// reverse returns re read backwards: concatenations and literals reversed,
// the start and end assertions swapped (word boundaries are symmetric).
func reverse(re *syntax.Regexp) *syntax.Regexp {
	n := *re
	n.Sub0 = [1]*syntax.Regexp{}
	n.Sub = nil
	for _, s := range re.Sub {
		n.Sub = append(n.Sub, reverse(s))
	}
	switch re.Op {
	case syntax.OpConcat:
		slices.Reverse(n.Sub)
	case syntax.OpLiteral:
		n.Rune = slices.Clone(re.Rune)
		slices.Reverse(n.Rune)
	case syntax.OpBeginLine:
		n.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		n.Op = syntax.OpBeginLine
	case syntax.OpBeginText:
		n.Op = syntax.OpEndText
	case syntax.OpEndText:
		n.Op = syntax.OpBeginText
	}
	return &n
}

// finder builds, once, what the FindAll methods need; false when they
// must be the regexp's own (no DFA, or an expression that can match the
// empty string, whose rules for empty matches next to others these
// methods do not copy).
func (m *Matcher) finder() bool {
	if m.fwd == nil {
		return false
	}
	m.findOnce.Do(func() {
		sre, err := syntax.Parse(m.String(), syntax.Perl)
		if err != nil || m.fwd.mayMatchEmpty() {
			return
		}
		rev := newDFA(reverse(sre.Simplify()))
		a, err1 := regexp.Compile(`^(?:` + m.String() + `)`)
		b, err2 := regexp.Compile(`^(?s:.)(?:` + m.String() + `)`)
		if rev == nil || err1 != nil || err2 != nil {
			return
		}
		m.rev, m.atStart, m.afterOne = rev, a, b
	})
	return m.rev != nil
}

// mayMatchEmpty: the match instruction is reachable from the start
// without reading a rune (whatever the assertions say).
func (d *dfa) mayMatchEmpty() bool {
	seen := make([]bool, len(d.prog.Inst))
	stack := []uint32{uint32(d.prog.Start)}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := &d.prog.Inst[pc]
		switch in.Op {
		case syntax.InstMatch:
			return true
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Arg, in.Out)
		case syntax.InstNop, syntax.InstCapture, syntax.InstEmptyWidth:
			stack = append(stack, in.Out)
		}
	}
	return false
}

// FindAllStringSubmatchIndex is regexp's, at a DFA's speed between matches.
func (m *Matcher) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !m.finder() {
		return m.Regexp.FindAllStringSubmatchIndex(s, n)
	}
	if n == 0 {
		return nil
	}
	set := m.rev.starts(s)
	var out [][]int
	for pos := 0; n < 0 || len(out) < n; {
		at := nextStart(set, pos, len(s))
		if at < 0 {
			break
		}
		loc := m.matchAt(s, at)
		if loc == nil || loc[1] <= loc[0] {
			// cannot happen (a start the DFA marked is a match's start, and
			// no match is empty): regexp decides on its own
			return m.Regexp.FindAllStringSubmatchIndex(s, n)
		}
		out = append(out, loc)
		pos = loc[1]
	}
	return out
}

// matchAt is the leftmost-first match that starts at at, read by regexp
// with the rune before at as its left context.
func (m *Matcher) matchAt(s string, at int) []int {
	if at == 0 {
		return m.atStart.FindStringSubmatchIndex(s)
	}
	_, w := utf8.DecodeLastRuneInString(s[:at])
	loc := m.afterOne.FindStringSubmatchIndex(s[at-w:])
	if loc == nil {
		return nil
	}
	loc[0] = w // the rune read for context is not part of the match
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += at - w
		}
	}
	return loc
}

// FindAllStringIndex is regexp's, at a DFA's speed between matches.
func (m *Matcher) FindAllStringIndex(s string, n int) [][]int {
	if !m.finder() {
		return m.Regexp.FindAllStringIndex(s, n)
	}
	locs := m.FindAllStringSubmatchIndex(s, n)
	for i, l := range locs {
		locs[i] = l[:2]
	}
	return locs
}

// FindAllString is regexp's, at a DFA's speed between matches.
func (m *Matcher) FindAllString(s string, n int) []string {
	if !m.finder() {
		return m.Regexp.FindAllString(s, n)
	}
	var out []string
	for _, l := range m.FindAllStringSubmatchIndex(s, n) {
		out = append(out, s[l[0]:l[1]])
	}
	return out
}

// FindAllStringSubmatch is regexp's, at a DFA's speed between matches.
func (m *Matcher) FindAllStringSubmatch(s string, n int) [][]string {
	if !m.finder() {
		return m.Regexp.FindAllStringSubmatch(s, n)
	}
	var out [][]string
	for _, l := range m.FindAllStringSubmatchIndex(s, n) {
		sub := make([]string, len(l)/2)
		for i := range sub {
			if l[2*i] >= 0 {
				sub[i] = s[l[2*i]:l[2*i+1]]
			}
		}
		out = append(out, sub)
	}
	return out
}

// Split is regexp's (the same code, on FindAllStringIndex).
func (m *Matcher) Split(s string, n int) []string {
	if !m.finder() {
		return m.Regexp.Split(s, n)
	}
	if n == 0 {
		return nil
	}
	if len(m.String()) > 0 && len(s) == 0 {
		return []string{""}
	}
	matches := m.FindAllStringIndex(s, n)
	out := make([]string, 0, len(matches))
	beg, end := 0, 0
	for _, match := range matches {
		if n > 0 && len(out) == n-1 {
			break
		}
		end = match[0]
		if match[1] != 0 {
			out = append(out, s[beg:end])
		}
		beg = match[1]
	}
	if end != len(s) {
		out = append(out, s[beg:])
	}
	return out
}
