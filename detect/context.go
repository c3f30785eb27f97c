package detect

import (
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

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
	// noAccount asks the condition without the account searches
	// (loginsession.go): they evaluate false while it is set
	noAccount bool
	// runOnly asks the condition of what the command runs, without the
	// text it decodes into a file (runForms): set by the engine for its
	// second asking (contentOnly)
	runOnly bool
	// dtf: the file the exec's shell command decodes base64 into, ""
	// for none (dtfDone: asked for this event)
	dtf     string
	dtfDone bool

	gen   uint32 // bumped per event: cache entries of older gens are stale
	vals  []fieldCache
	found []foundCache // by field id: the needs' literals found (needindex.go)

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
	// ran is flaggedWrites.ran of the event, asked by two fields of
	// several rules; the flagged files change only after the rules ran
	ran     flaggedWrite
	ranOK   bool
	ranDone bool

	fm formsMemo

	rawTextGen uint32
	rawStr     string
	rawLower   string

	// buf holds the text built for the event (joined command lines,
	// lower-cased values, numbers) so that building it does not allocate.
	// Strings over it (see text) are valid until the next reset, which
	// reuses it: everything that holds them is per event (the caches
	// above), and what outlives the event (a Finding, the classify cache)
	// must strings.Clone them.
	buf []byte
}

// maxBuf is the largest buf kept from one event to the next: a huge argv
// should not pin its copy for the rest of the run.
const maxBuf = 1 << 20

type fieldCache struct {
	gen       uint32
	v         []string
	lower     []string
	lowerDone bool
}

// forms returns the forms of a shell command the rules read (see
// runOnly).
func (c *evalCtx) forms(s string) []string {
	return c.memoForms(s, c.runOnly)
}

// formsMemo holds the forms (deobfuscate.go) of recent shell commands:
// forms is a function of the text alone, two fields of an exec ask it of
// the same command, and a log's commands repeat (cron jobs, health
// checks, a server's helpers, an intruder's loop). Bounded: at most
// maxFormsMemo commands of at most maxFormsText bytes, and maxFormsBytes
// of commands and forms in all, cleared when full; keys and forms are
// copies, so no event's text is kept alive by it.
type formsMemo struct {
	m     map[formsKey][]string
	bytes int // of the keys and forms held
}

type formsKey struct {
	s   string
	run bool
}

const (
	maxFormsMemo  = 1024
	maxFormsText  = 4096
	maxFormsBytes = 1 << 20
)

// memoForms is forms(s, run), from the memo when it holds s.
func (c *evalCtx) memoForms(s string, run bool) []string {
	if len(s) > maxFormsText {
		return forms(s, run)
	}
	if f, ok := c.fm.m[formsKey{s, run}]; ok {
		return f
	}
	f := forms(s, run)
	size := len(s)
	for _, x := range f {
		size += len(x)
	}
	if size > maxFormsBytes/16 {
		return f // a command whose forms are large: not kept
	}
	if c.fm.m == nil || len(c.fm.m) >= maxFormsMemo || c.fm.bytes+size > maxFormsBytes {
		c.fm.m, c.fm.bytes = make(map[formsKey][]string, maxFormsMemo), 0
	}
	var kept []string
	if len(f) > 0 {
		kept = make([]string, len(f))
		for i, x := range f {
			kept[i] = strings.Clone(x)
		}
	}
	c.fm.m[formsKey{strings.Clone(s), run}] = kept
	c.fm.bytes += size
	return kept
}

// decodedFile returns the file the exec's shell command decodes base64
// into, "" for none; asked once per event.
func (c *evalCtx) decodedFile() string {
	if !c.dtfDone {
		s, _, _ := shellCommandAt(c.image(), c.args())
		c.dtfDone, c.dtf = true, decodesToFile(s)
	}
	return c.dtf
}

// contentOnly reports whether rule r, whose condition held, holds only by
// text the command decodes into a file: asked again of what the command
// runs (runForms), it fails. Only an exec whose shell command decodes
// into a file is asked twice.
func (c *evalCtx) contentOnly(r *Rule) bool {
	if c.ev.Kind != parser.KindExec || c.cat != catProcessCreation {
		return false
	}
	if c.decodedFile() == "" {
		return false
	}
	c.runOnly = true
	c.bumpGen()
	held := r.det.cond.eval(c)
	c.runOnly = false
	c.bumpGen()
	return !held
}

// bumpGen makes every cached value stale.
func (c *evalCtx) bumpGen() {
	c.gen++
	if c.gen == 0 { // wrapped: clear so that no entry looks current
		for i := range c.vals {
			c.vals[i] = fieldCache{}
		}
		for i := range c.found {
			c.found[i] = foundCache{}
		}
		c.rawTextGen = 0
		c.gen = 1
	}
}

// reset points the context at a new event.
func (c *evalCtx) reset(ev *parser.Event, tree *parser.Tree, nfields int) {
	c.ev, c.tree, c.proc = ev, tree, ev.Proc
	c.bumpGen()
	if len(c.vals) < nfields {
		c.vals = append(c.vals, make([]fieldCache, nfields-len(c.vals))...)
	}
	c.cmd, c.cmdDone = "", false
	c.dtfDone = false
	c.anc, c.ancDone = c.anc[:0], false
	c.infDone = false
	c.types, c.typesDone = c.types[:0], false
	c.raw, c.rawDone = c.raw[:0], false
	c.ranDone = false
	if cap(c.buf) > maxBuf {
		c.buf = nil
	}
	c.buf = c.buf[:0]
}

// text returns buf from start as a string sharing its bytes (valid until
// the next reset; see buf).
func (c *evalCtx) text(start int) string {
	if len(c.buf) == start {
		return ""
	}
	return unsafe.String(&c.buf[start], len(c.buf)-start)
}

// join is strings.Join(args, " ") built in buf.
func (c *evalCtx) join(args []string) string {
	if len(args) < 2 { // as strings.Join: the one element itself, no copy
		if len(args) == 0 {
			return ""
		}
		return args[0]
	}
	start := len(c.buf)
	for i, a := range args {
		if i > 0 {
			c.buf = append(c.buf, ' ')
		}
		c.buf = append(c.buf, a...)
	}
	return c.text(start)
}

// lower is strings.ToLower(s), built in buf when s is ASCII with upper
// case (record types, command lines): the case where ToLower allocates.
func (c *evalCtx) lower(s string) string {
	first := -1
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= utf8.RuneSelf {
			return strings.ToLower(s) // Unicode case mapping: rare
		}
		if first < 0 && 'A' <= b && b <= 'Z' {
			first = i
		}
	}
	if first < 0 {
		return s
	}
	start := len(c.buf)
	c.buf = append(c.buf, s...)
	b := c.buf[start+first:]
	for i, x := range b {
		if 'A' <= x && x <= 'Z' {
			b[i] = x + ('a' - 'A')
		}
	}
	return c.text(start)
}

// uitoa is strconv.FormatUint(n, 10) built in buf.
func (c *evalCtx) uitoa(n uint64) string {
	start := len(c.buf)
	c.buf = strconv.AppendUint(c.buf, n, 10)
	return c.text(start)
}

// procCmd is a process's command line as Process.CommandLine gives it,
// joined in buf, or "" when nothing is known.
func (c *evalCtx) procCmd(p *parser.Process) string {
	if p == nil || (len(p.Args) == 0 && len(p.Title) == 0 && p.Exe == "") {
		return ""
	}
	if len(p.Args) > 0 { // as Process.CommandLine
		return c.join(p.Args)
	}
	if len(p.Title) > 0 { // no exec seen: what it names itself (a server started before the log)
		return c.join(p.Title)
	}
	return p.Exe
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
			fc.lower = append(fc.lower, c.lower(s))
		}
	}
	return fc.lower
}

func (c *evalCtx) image() string {
	if c.ev.Exe != "" {
		if !strings.Contains(c.ev.Exe, "/") {
			// a sensor names the image of a network or file event by its
			// base name alone (Sysmon: Image "bash"); the process's
			// executed path, when it ends in that name, is the same file
			// said fully, and rules written on paths match it
			if pe := procExe(c.proc); strings.HasSuffix(pe, "/"+c.ev.Exe) {
				return pe
			}
		}
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
			c.cmd = c.join(c.ev.Args)
		} else {
			c.cmd = c.procCmd(c.proc)
		}
	}
	return c.cmd
}

func (c *evalCtx) user() string {
	if c.ev.User != "" {
		return c.ev.User
	}
	if u := c.procUser(c.proc); u != "" {
		return u
	}
	if c.ev.UID.Set {
		return c.uitoa(uint64(c.ev.UID.N)) // as ID.String of a set ID
	}
	return ""
}

// procUser is a process's user name, else its uid, else "".
func (c *evalCtx) procUser(p *parser.Process) string {
	if p == nil {
		return ""
	}
	if p.User != "" {
		return p.User
	}
	if p.UID.Set {
		return c.uitoa(uint64(p.UID.N))
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
	if name != "" && !c.rawDone && !c.mentionsField(name) {
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
		c.rawValues("", nil) // parse the fields once
		c.rawStr = c.joinRaw()
		c.rawLower = c.lower(c.rawStr)
	}
	return c.rawStr, c.rawLower
}

// joinRaw is rawText's raw form: the records, then the decoded values,
// joined by newlines.
func (c *evalCtx) joinRaw() string {
	decoded := false
	for _, f := range c.raw {
		decoded = decoded || f.decoded
	}
	if len(c.ev.Evidence) == 1 && !decoded {
		return c.ev.Evidence[0].Raw // one record as it stands: no copy
	}
	start := len(c.buf)
	for i, e := range c.ev.Evidence {
		if i > 0 {
			c.buf = append(c.buf, '\n')
		}
		c.buf = append(c.buf, e.Raw...)
	}
	for _, f := range c.raw {
		if f.decoded {
			c.buf = append(c.buf, '\n')
			c.buf = append(c.buf, f.value...)
		}
	}
	return c.text(start)
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

// mentionsField reports whether a record holds name= or name[ (an
// argument split in parts): one scan for name instead of one per suffix.
func (c *evalCtx) mentionsField(name string) bool {
	for _, e := range c.ev.Evidence {
		if holdsField(e.Raw, name) {
			return true
		}
	}
	return false
}

// holdsField reports whether raw contains name followed by '=' or '['.
func holdsField(raw, name string) bool {
	for {
		i := strings.Index(raw, name)
		if i < 0 {
			return false
		}
		if j := i + len(name); j < len(raw) && (raw[j] == '=' || raw[j] == '[') {
			return true
		}
		raw = raw[i+1:] // occurrences may overlap ("aa" in "aaa=")
	}
}

// flaggedRan is the engine's flaggedWrites.ran for the event, worked out
// once: each exec asks it for PlantedFile and PlantedByOther, and it cleans
// and looks up every path the exec names.
func (c *evalCtx) flaggedRan() (flaggedWrite, bool) {
	if !c.ranDone {
		c.ran, c.ranOK = c.eng.state.plantedRan(c.ev)
		c.ranDone = true
	}
	return c.ran, c.ranOK
}
