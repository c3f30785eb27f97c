package detect

import (
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// evalCtx is the view of one event that compiled rules read. Field values
// are computed on first use and cached for the event, so an event that no
// candidate rule inspects costs nothing, and ten rules reading CommandLine
// join and lower-case it once. One evalCtx is reused for every event (the
// Engine is not safe for concurrent use).
type evalCtx struct {
	eng  *Engine
	ev   *parser.Event
	tree *parser.Tree
	proc *parser.Process
	cat  category // category of the rule being evaluated

	gen  uint32 // bumped per event: cache entries of older gens are stale
	vals []fieldCache

	cmd       string
	cmdDone   bool
	anc       []*parser.Process
	ancDone   bool
	inf       procInfo
	infDone   bool
	types     []string
	typesDone bool
	raw       []rawField
	rawDone   bool

	rawTextGen uint32
	rawStr     string
	rawLower   string
}

type fieldCache struct {
	gen       uint32
	v         []string
	lower     []string
	lowerDone bool
}

// reset points the context at a new event.
func (c *evalCtx) reset(ev *parser.Event, tree *parser.Tree, nfields int) {
	c.ev, c.tree, c.proc = ev, tree, ev.Proc
	c.gen++
	if c.gen == 0 { // wrapped: clear so that no entry looks current
		for i := range c.vals {
			c.vals[i] = fieldCache{}
		}
		c.gen = 1
	}
	if len(c.vals) < nfields {
		c.vals = append(c.vals, make([]fieldCache, nfields-len(c.vals))...)
	}
	c.cmd, c.cmdDone = "", false
	c.anc, c.ancDone = c.anc[:0], false
	c.infDone = false
	c.types, c.typesDone = c.types[:0], false
	c.raw, c.rawDone = c.raw[:0], false
}

// values returns the field's values, cached for the event.
func (c *evalCtx) values(f *fieldRef) []string {
	fc := &c.vals[f.id]
	if fc.gen != c.gen {
		fc.gen = c.gen
		fc.v = f.get(c, fc.v[:0])
		fc.lower, fc.lowerDone = fc.lower[:0], false
	}
	return fc.v
}

// lowerValues returns the field's values in lower case, for Sigma's
// case-insensitive comparisons.
func (c *evalCtx) lowerValues(f *fieldRef) []string {
	v := c.values(f)
	fc := &c.vals[f.id]
	if !fc.lowerDone {
		fc.lowerDone = true
		for _, s := range v {
			fc.lower = append(fc.lower, strings.ToLower(s))
		}
	}
	return fc.lower
}

func (c *evalCtx) image() string {
	if c.ev.Exe != "" {
		return c.ev.Exe
	}
	return procExe(c.proc)
}

func (c *evalCtx) args() []string {
	if c.ev.Kind == parser.KindExec || c.proc == nil {
		return c.ev.Args
	}
	return c.proc.Args
}

func (c *evalCtx) commandLine() string {
	if !c.cmdDone {
		c.cmdDone = true
		if c.ev.Kind == parser.KindExec || c.proc == nil {
			c.cmd = strings.Join(c.ev.Args, " ")
		} else {
			c.cmd = procCmd(c.proc)
		}
	}
	return c.cmd
}

func (c *evalCtx) user() string {
	if c.ev.User != "" {
		return c.ev.User
	}
	if u := procUser(c.proc); u != "" {
		return u
	}
	if c.ev.UID.Set {
		return c.ev.UID.String()
	}
	return ""
}

func (c *evalCtx) uid() parser.ID {
	if c.ev.UID.Set || c.proc == nil {
		return c.ev.UID
	}
	return c.proc.UID
}

func (c *evalCtx) cwd() string {
	if c.ev.Cwd != "" {
		return c.ev.Cwd
	}
	if c.proc != nil {
		return c.proc.Cwd
	}
	return ""
}

func (c *evalCtx) parent() *parser.Process {
	if c.proc == nil {
		return nil
	}
	return c.proc.Parent
}

// maxAncestry bounds ancestry walks; real trees are a few levels deep.
const maxAncestry = 64

func (c *evalCtx) ancestors() []*parser.Process {
	if !c.ancDone {
		c.ancDone = true
		for a := c.parent(); a != nil && len(c.anc) < maxAncestry; a = a.Parent {
			c.anc = append(c.anc, a)
		}
	}
	return c.anc
}

func (c *evalCtx) info() *procInfo {
	if !c.infDone {
		c.infDone = true
		c.inf = c.eng.state.info(c.proc)
	}
	return &c.inf
}

// recordTypes lists the types of the event's records (SYSCALL, EXECVE,
// PATH …): a Sigma auditd rule sees one record at a time, we see the whole
// event, so "type: EXECVE" matches an event that holds an EXECVE record.
func (c *evalCtx) recordTypes() []string {
	if !c.typesDone {
		c.typesDone = true
		for _, e := range c.ev.Evidence {
			c.types = appendRecordTypes(c.types, e.Raw)
		}
		if len(c.types) == 0 && c.ev.RecordType != "" {
			c.types = append(c.types, c.ev.RecordType)
		}
	}
	return c.types
}

func (c *evalCtx) rawValues(name string, o []string) []string {
	if name != "" && !c.rawDone && !c.mentions(name+"=") && !c.mentions(name+"[") {
		return o // not in any record: no need to split the records into fields
	}
	if !c.rawDone {
		c.rawDone = true
		for _, e := range c.ev.Evidence {
			c.raw = scanRaw(c.raw, e.Raw)
		}
	}
	for _, f := range c.raw {
		if f.key == name {
			o = append(o, f.value)
		}
	}
	return o
}

// rawText returns the event's raw records and their lower-cased form, for
// keyword searches. Values auditd hex-encoded (an argv with spaces, a
// path with a quote) are appended decoded: "/dev/tcp/" is found in the
// EXECVE record of "bash -i >& /dev/tcp/…" only that way.
func (c *evalCtx) rawText() (raw, lower string) {
	if c.rawTextGen != c.gen {
		c.rawTextGen = c.gen
		var b strings.Builder
		for i, e := range c.ev.Evidence {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(e.Raw)
		}
		c.rawValues("", nil) // parse the fields once
		for _, f := range c.raw {
			if f.decoded {
				b.WriteByte('\n')
				b.WriteString(f.value)
			}
		}
		c.rawStr = b.String()
		c.rawLower = strings.ToLower(c.rawStr)
	}
	return c.rawStr, c.rawLower
}

// hasType is the prefilter of auditd rules that name their record types:
// one scan of the record headers per event, shared by all such rules.
func (c *evalCtx) hasType(types []string) bool {
	for _, have := range c.recordTypes() {
		for _, t := range types {
			if have == t {
				return true
			}
		}
	}
	return false
}

func (c *evalCtx) mentions(s string) bool {
	for _, e := range c.ev.Evidence {
		if strings.Contains(e.Raw, s) {
			return true
		}
	}
	return false
}
