package timeline

// cmdWords answers containsWord and standsAlone for the parameters of many
// requests on one command line. A web server's exec is compared with every
// request logged around it, and both the requests and the command line
// are the attacker's: 20 000 requests in a minute beside 4 execs of 1 MiB
// read 80 GB (16 s; 40 000: 29 s). A long line's words (maximal runs of
// letters, digits and _) are indexed once, and a value is looked up by its
// first word: wherever containsWord or standsAlone accepts v, no letter,
// digit or _ touches it, so that word of v is a whole word of the line at
// the same place (TestCmdWordsAgree, FuzzCmdWords). Answers are kept per
// value, so a request repeated is one lookup.
type cmdWords struct {
	s     string
	at    map[string][]int32 // word → offsets; nil until a long line is first asked
	memo  map[cmdWordQ]bool
	built bool
	// nums: the line's whole numbers (maximal runs of digits, whatever
	// letters touch them), built when a number is first asked (holdsNumber)
	nums map[string]bool
}

type cmdWordQ struct {
	v     string
	alone bool // standsAlone, else containsWord(v, hyphen)
	hyph  bool
}

// indexWordsFrom: shorter lines are read directly, as before. (A
// variable so that the tests index short lines too.)
var indexWordsFrom = 4 << 10

// maxMemo bounds the answers kept per line (cleared when full).
const maxMemo = 1 << 14

func newCmdWords(s string) *cmdWords { return &cmdWords{s: s} }

func (w *cmdWords) containsWord(v string, hyphen bool) bool {
	return w.ask(cmdWordQ{v: v, hyph: hyphen}, containsWordBound(hyphen))
}

func (w *cmdWords) standsAlone(v string) bool {
	return w.ask(cmdWordQ{v: v, alone: true}, standsAloneBound)
}

func (w *cmdWords) ask(q cmdWordQ, bound func(string, int, bool) bool) bool {
	if len(w.s) < indexWordsFrom {
		return occursAs(w.s, q.v, bound)
	}
	if got, ok := w.memo[q]; ok {
		return got
	}
	got := w.lookup(q.v, bound)
	if w.memo == nil || len(w.memo) >= maxMemo {
		w.memo = make(map[cmdWordQ]bool)
	}
	w.memo[q] = got
	return got
}

func (w *cmdWords) lookup(v string, bound func(string, int, bool) bool) bool {
	k := 0
	for k < len(v) && !alnum(v[k]) {
		k++
	}
	if k == len(v) {
		return occursAs(w.s, v, bound) // no word to look up by
	}
	e := k
	for e < len(v) && alnum(v[e]) {
		e++
	}
	if !w.built {
		w.index()
	}
	s := w.s
	for _, p := range w.at[v[k:e]] {
		j := int(p) - k
		if j < 0 || len(s)-j < len(v) || s[j:j+len(v)] != v {
			continue
		}
		end := j + len(v)
		if (j == 0 || bound(s, j-1, true)) && (end == len(s) || bound(s, end, false)) {
			return true
		}
	}
	return false
}

// holdsNumber reports whether the digits v occur in the line as a whole
// number: no digit directly before or after them, letters and _ allowed
// (c2606 and id_2606 hold 2606; 26060 does not). The line's numbers are
// collected once, in one pass, so that a long line asked for the numbers
// of many requests is read once (cmdWords' reason).
func (w *cmdWords) holdsNumber(v string) bool {
	if w.nums == nil {
		w.nums = map[string]bool{}
		s := w.s
		for i := 0; i < len(s); {
			if s[i] < '0' || s[i] > '9' {
				i++
				continue
			}
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			w.nums[s[i:j]] = true
			i = j
		}
	}
	return w.nums[v]
}

func (w *cmdWords) index() {
	w.built = true
	w.at = make(map[string][]int32)
	s := w.s
	for i := 0; i < len(s); {
		if !alnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && alnum(s[j]) {
			j++
		}
		w.at[s[i:j]] = append(w.at[s[i:j]], int32(i))
		i = j
	}
}
