package report

import (
	"bytes"
	"io"
	"reflect"
	"runtime"
)

// The findings are most of a big report: a log full of intrusions gives
// tens of thousands, each with its process, its ancestors and its quoted
// records. Converted all at once (NewDocument), they were held in full
// beside the Case they come from: 100 MB of a 285 MB peak on a 300 MB log.
// The JSON writer converts, links and encodes them one batch at a time
// instead, and keeps of each only what the summary reads (slimFinding), so
// the report model holds one batch of findings in full, never all of them.
// The bytes are those of writeJSON(NewDocument) (TestJSONStreamed).

// streamBatch is how many findings are held in full at once: a finding of
// a long attack takes 2–4 KB converted and as much encoded, and 1024 of
// them still keep every core busy.
const streamBatch = 1024

// streamFindings writes the findings list of d's Case, as writeJSON writes
// d.Findings, then completes d (finishFindings) from their slim copies.
func (b *builder) streamFindings(w io.Writer, d *Document) error {
	var idx []int // positions of the non-nil findings
	for i, f := range b.c.Findings {
		if f != nil {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		d.Findings = []DocFinding{}
		finishFindings(d)
		_, err := io.WriteString(w, "[]")
		return err
	}
	b.chainFor(nil) // build the index now: the workers only read it
	links := newChainLinker(d.Chains)
	workers := runtime.GOMAXPROCS(0)
	bufs := make([]bytes.Buffer, workers)
	errs := make([]error, workers)
	batch := make([]DocFinding, min(streamBatch, len(idx)))
	slim := make([]DocFinding, 0, len(idx))
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	for lo := 0; lo < len(idx); lo += streamBatch {
		part := batch[:min(lo+streamBatch, len(idx))-lo]
		inRanges(len(part), workers, func(_, from, to int) {
			for k := from; k < to; k++ {
				part[k] = b.finding(idx[lo+k], b.c.Findings[idx[lo+k]])
			}
		})
		for k := range part { // the link index memoizes: one goroutine
			links.set(&part[k])
		}
		for k := range bufs {
			bufs[k].Reset()
		}
		list := reflect.ValueOf(part)
		inRanges(len(part), workers, func(k, from, to int) {
			errs[k] = encodeElems(&bufs[k], list, from, to)
		})
		if lo > 0 { // encodeElems separates within the batch only
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		for k := range workers {
			if errs[k] != nil {
				return errs[k]
			}
			if _, err := w.Write(bufs[k].Bytes()); err != nil {
				return err
			}
		}
		for k := range part {
			slim = append(slim, slimFinding(part[k]))
		}
	}
	if _, err := io.WriteString(w, "\n  ]"); err != nil {
		return err
	}
	d.Findings = slim
	finishFindings(d)
	d.Findings = nil // written: the rest of the document does not read them
	return nil
}

// slimFinding is f without what the summary never reads: its records, the
// rule's description and the process's ancestors (ChainLink, the one
// thing computed from them, is already set).
func slimFinding(f DocFinding) DocFinding {
	f.Evidence, f.Description = nil, ""
	if f.Process != nil {
		p := *f.Process
		p.Ancestors = nil
		f.Process = &p
	}
	return f
}

// chainLinker sets a finding's ChainLink as buildSummary's linkFindings
// does, one finding at a time: from the first chain that lists it and
// whose id is the finding's chain id.
type chainLinker struct {
	chains []DocChain
	member map[string][]int // finding id → the chains listing it, in order
	index  map[int]*linkIndex
}

func newChainLinker(chains []DocChain) *chainLinker {
	c := &chainLinker{chains: chains, member: map[string][]int{}, index: map[int]*linkIndex{}}
	for i := range chains {
		for _, id := range chains[i].FindingIDs {
			if m := c.member[id]; len(m) == 0 || m[len(m)-1] != i {
				c.member[id] = append(m, i)
			}
		}
	}
	return c
}

func (c *chainLinker) set(f *DocFinding) {
	if f.ChainLink != "" {
		return
	}
	for _, i := range c.member[f.ID] {
		ch := &c.chains[i]
		if ch.ID != f.ChainID {
			continue
		}
		x := c.index[i]
		if x == nil {
			x = newLinkIndex(ch.Links)
			x.quotedLinks(ch.Requests)
			c.index[i] = x
		}
		if l := x.findingLink(f); l != "" {
			f.ChainLink = l
			return
		}
	}
}
