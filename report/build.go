package report

import (
	"encoding/hex"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// maxAncestors bounds the parents listed per finding; real chains are a
// handful deep, a cycle-free but corrupted tree must not be listed whole.
const maxAncestors = 64

// NewDocument builds the JSON report from a Case. It is the only place where
// internal types become the wire contract, and every writer renders its
// result, so the formats cannot disagree. It reads c and never modifies it.
func NewDocument(c *Case, opts Options) *Document {
	b := newBuilder(c, opts)
	d := b.skeleton()
	d.Findings = b.findings()
	finishFindings(d)
	return d
}

func newBuilder(c *Case, opts Options) *builder {
	return &builder{c: c, opts: opts, ids: map[*detect.Finding]int{}, chainOf: map[*detect.Finding]string{}}
}

// builder carries the lookups NewDocument needs while it walks the Case.
type builder struct {
	c       *Case
	opts    Options
	ids     map[*detect.Finding]int // finding → index in c.Findings
	chainOf map[*detect.Finding]string
	// chainIdx: finding → first chain holding it, built on first use
	chainIdx map[*detect.Finding]*timeline.Chain
}

// skeleton builds the whole Document but its findings, their count of
// failed attempts and the summary (finishFindings): nothing in it depends
// on the converted findings, so the JSON writer can stream them
// (jsonstream.go).
func (b *builder) skeleton() *Document {
	c := b.c
	d := &Document{
		Schema: SchemaVersion,
		Tool: DocTool{
			Name: nonEmpty(c.Tool.Name, "auditchain"), Version: c.Tool.Version,
			RulesVersion: c.Tool.RulesVersion, BinarySHA256: c.Tool.BinarySHA256,
		},
		CommandLine: validAll(c.CommandLine),
		Hosts:       sortedUnique(c.Hosts),
		Coverage: DocCoverage{
			RulesSource: c.Coverage.RulesSource,
			Syscalls:    sortedUnique(c.Coverage.Syscalls),
			Watches:     sortedUnique(c.Coverage.Watches),
			AccessLog:   c.Coverage.AccessLog,
			Tampering:   validAll(c.Coverage.Tampering),
			RuleKeys:    sortedUnique(c.Coverage.RuleKeys),
			Rules:       c.Coverage.Rules,
			Notes:       validAll(c.Coverage.Notes),
			Servers:     docServers(c.Coverage.Servers),
		},
		Stats: DocStats{
			Events: c.Stats.Events, Records: c.Stats.Records,
			Processes: c.Stats.Processes, Malformed: c.Stats.Malformed,
		},
	}
	if c.Name != "" || c.Examiner != "" {
		d.Case = &DocCase{Name: valid(c.Name), Examiner: valid(c.Examiner)}
	}
	if !b.opts.Reproducible {
		if !c.GeneratedAt.IsZero() {
			d.GeneratedAt = c.GeneratedAt.UTC()
		}
		d.Stats.DurationMS = c.Stats.Duration.Milliseconds()
	}
	for i, f := range c.Findings {
		if f != nil {
			b.ids[f] = i
		}
	}
	d.Inputs = b.inputs()
	d.Filter = docFilter(c.Filter)
	for _, in := range d.Inputs {
		d.FirstTime = earliest(d.FirstTime, in.FirstTime)
		d.LastTime = latest(d.LastTime, in.LastTime)
	}
	d.SkippedInputs = make([]DocSkipped, 0, len(c.Skipped))
	for _, s := range c.Skipped {
		d.SkippedInputs = append(d.SkippedInputs, DocSkipped{Path: valid(s.Path), Reason: valid(s.Reason)})
	}
	d.RuleSet = ruleSetDoc(c.RuleSet)
	d.Allowlisted = allowlistedDoc(c.Allowed)
	d.Chains = make([]DocChain, 0, len(c.Chains))
	for i, ch := range c.Chains {
		if ch != nil {
			d.Chains = append(d.Chains, b.chain(i, ch))
		}
	}
	d.Routine = b.routine(c.Routine)
	d.IOCs = b.iocs()
	addLogins(d, c)
	return d
}

// finishFindings completes a skeleton whose findings are in: the failed
// attempts among them, the summary and each finding's ChainLink.
func finishFindings(d *Document) {
	for i := range d.Findings {
		if d.Findings[i].Outcome == OutcomeFailure {
			d.Stats.FailedAttempts++
		}
	}
	buildSummary(d)
}

// findings converts the Case's findings. A report of a log full of
// intrusions holds tens of thousands; converting one only reads the
// builder and the tree, so contiguous ranges are converted side by side
// on every core, into their places.
func (b *builder) findings() []DocFinding {
	var idx []int // positions of the non-nil findings
	for i, f := range b.c.Findings {
		if f != nil {
			idx = append(idx, i)
		}
	}
	out := make([]DocFinding, len(idx))
	b.chainFor(nil) // build the index now: the workers only read it
	workers := runtime.GOMAXPROCS(0)
	if len(idx) < 256 {
		workers = 1
	}
	inRanges(len(idx), workers, func(_, from, to int) {
		for k := from; k < to; k++ {
			out[k] = b.finding(idx[k], b.c.Findings[idx[k]])
		}
	})
	return out
}

func (b *builder) inputs() []DocInput {
	out := make([]DocInput, 0, len(b.c.Inputs))
	for _, in := range b.c.Inputs {
		if in == nil {
			continue
		}
		p, ph := lossless(in.Path)
		di := DocInput{
			Path: p, PathHex: ph, SHA256: in.SHA256, Bytes: in.Bytes, Format: string(in.Format),
			Compression: in.Compression, Records: in.Records, Malformed: in.Malformed,
			Duplicates: in.Duplicates, FirstTime: utc(in.First), LastTime: utc(in.Last),
			OutOfOrder: in.OutOfOrder, Reordered: in.Reordered, OrderNote: valid(in.OrderNote),
		}
		for _, e := range in.Errors.List {
			if e == nil {
				continue
			}
			msg := ""
			if e.Err != nil {
				msg = e.Err.Error()
			}
			if e.Record != "" {
				msg += ": " + strconv.Quote(e.Record)
			}
			di.Errors = append(di.Errors, DocRecErr{File: valid(e.Pos.File), Line: e.Pos.Line, Message: valid(msg)})
		}
		out = append(out, di)
	}
	return out
}

// findingID returns the report id of f, or "" when f is not among the
// Case's findings (a chain must not invent ids).
func (b *builder) findingID(f *detect.Finding) (string, bool) {
	i, ok := b.ids[f]
	if !ok {
		return "", false
	}
	return FindingID(i), true
}

// idsOf returns the report ids of fs in report order.
func (b *builder) idsOf(fs []*detect.Finding) []string {
	idx := make([]int, 0, len(fs))
	for _, f := range fs {
		if i, ok := b.ids[f]; ok {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = FindingID(i)
	}
	return out
}

func (b *builder) chain(i int, ch *timeline.Chain) DocChain {
	id := ch.ID
	if id == "" {
		id = timeline.ChainID(i)
	}
	dc := DocChain{
		ID: id, Host: valid(ch.Host), ContainerID: valid(ch.Container.ID), Score: ch.Score,
		Severity: ch.Severity.String(), FirstSeen: utc(ch.FirstSeen), LastSeen: utc(ch.LastSeen),
		FindingIDs: b.idsOf(ch.Findings), Links: validAll(ch.Links), Hosts: sortedUnique(ch.Hosts),
	}
	dc.Requests = make([]DocRequest, 0, len(ch.Requests))
	for _, rl := range ch.Requests {
		r, ok := request(rl.Request)
		if !ok && len(rl.Candidates) > 0 && rl.Event != nil {
			r, ok = DocRequest{Time: utc(rl.Event.Time)}, true
			for _, c := range rl.Candidates {
				if cr, ok := request(c); ok {
					r.Candidates = append(r.Candidates, cr)
				}
			}
		}
		if ok {
			r.LinkBasis, r.Inferred = rl.Basis, rl.Inferred
			if rl.Process != nil {
				r.PID = rl.Process.Key.PID
				r.Exe, r.ExeHex = lossless(rl.Process.Exe)
				r.Args, r.ArgsHex = losslessArgs(rl.Process.Args)
			}
			if rl.Worker != nil {
				r.WorkerPID = rl.Worker.Key.PID
			}
			r.File, r.FileHex = lossless(rl.File)
			r.Confidence, r.Reason = rl.Confidence, valid(rl.Reason)
			r.Backdoor = valid(rl.Backdoor)
			dc.Requests = append(dc.Requests, r)
		}
	}
	if k := ch.Container; k.Name != "" || k.Image != "" || k.Pod != "" || k.Namespace != "" || k.Runtime != "" {
		dc.Container = &DocContainer{Name: valid(k.Name), Image: valid(k.Image), Pod: valid(k.Pod),
			Namespace: valid(k.Namespace), Runtime: valid(k.Runtime)}
	}
	for _, f := range ch.Findings {
		if _, seen := b.chainOf[f]; !seen {
			b.chainOf[f] = id
		}
	}
	dc.Stages = make([]DocStage, 0, len(ch.Stages))
	for k, s := range ch.Stages {
		st := s.Stage
		if !st.Valid() {
			st = detect.Stage(k + 1) // a slot left zero still names its row
		}
		dc.Stages = append(dc.Stages, DocStage{
			Stage: int(st), StageID: st.ID(), Name: st.Name(), Observed: s.Observed,
			Visibility: string(s.Visibility), Confidence: s.Confidence, Reason: valid(s.Reason),
			FirstSeen: utc(s.FirstSeen), LastSeen: utc(s.LastSeen), FindingIDs: b.idsOf(s.Findings),
			Requests: requests(s.Requests),
		})
	}
	dc.Tree, dc.TreeTruncated = b.tree(ch)
	return dc
}

func (b *builder) finding(i int, f *detect.Finding) DocFinding {
	df := DocFinding{
		ID: FindingID(i), RuleID: valid(f.RuleID), RuleIDs: ruleIDs(f), Title: valid(f.Title), Severity: f.Severity.String(),
		Stage: int(f.Stage), StageID: f.Stage.ID(), Attack: sortedUnique(f.Attack),
		Time: utc(f.Time), Host: valid(f.Host), Reason: valid(f.Reason), Source: valid(f.Source),
		Tampering: f.Tampering, ChainID: b.chainOf[f],
	}
	if !f.Stage.Valid() {
		df.Stage = 0
	}
	if f.Event != nil {
		df.Kind = f.Event.Kind.String()
		df.Summary = valid(summarize(f.Event))
		df.File, df.FileHex, df.Peer = target(f.Event)
		df.PeerService = valid(f.PeerService)
		if df.Peer == "" && f.Stage == detect.StageCommandAndControl {
			// a command run in a channel: the channel's connect is its
			// related record, and its peer the one the commands came from
			for _, r := range f.Related {
				if r != nil && r.Kind == parser.KindConnect && (r.Peer.Family == "inet" || r.Peer.Family == "inet6") && r.Peer.Port != 0 {
					df.ChannelPeer = valid(r.Peer.String())
					break
				}
			}
		}
		df.FileExisted = df.File != "" && detect.TargetExisted(f.Event)
		df.Hook = valid(f.FiredHook)
	}
	df.Description = valid(b.c.Descriptions[f.RuleID])
	if f.Why != "" { // what this match showed, when the rule catches several things
		df.Description = valid(f.Why)
	}
	df.Outcome, df.OutcomeReason = outcome(f.Event)
	if f.Refused != "" && df.Outcome != OutcomeFailure {
		df.Outcome, df.OutcomeReason = OutcomeFailure, f.Refused
	}
	if df.Outcome == OutcomeFailure {
		df.Summary = attemptSummary(df.Summary, df.OutcomeReason)
	}
	df.Process = b.process(f)
	df.Evidence = evidence(f)
	return df
}

// process describes the acting process as it was at the finding's time: the
// exec in force then, not the process's last image (a shell that later
// execs nc was still sh when it ran the command).
func (b *builder) process(f *detect.Finding) *DocProcess {
	ev, p := f.Event, f.Process
	if p == nil && ev != nil {
		p = ev.Proc
	}
	if p == nil && (ev == nil || ev.PID <= 0) {
		return nil
	}
	dp := &DocProcess{}
	var exe, cwd, user string
	var args []string
	var uid, auid, ses parser.ID
	if p != nil {
		dp.PID, dp.PPID = p.Key.PID, p.PPID
		exe, args, cwd = p.Exe, p.Args, p.Cwd
		if x, ok := execAt(p, f.Time); ok {
			exe, args = x.Exe, x.Args
			if x.Cwd != "" {
				cwd = x.Cwd
			}
		}
		user, uid, auid, ses = p.User, p.UID, p.AUID, p.SES
		// ContainerOf only reads the tree (no cache), so a writer may call it.
		c := b.c.Tree.ContainerOf(p)
		dp.ContainerID, dp.ContainerName = c.ID, c.Name
		anc, trunc := f.Ancestors, f.AncestorsTruncated
		if len(anc) == 0 {
			// Findings made before detect recorded ancestry at match time.
			anc, trunc = b.c.Tree.Ancestors(p)
		}
		if len(anc) > maxAncestors {
			anc, trunc = anc[:maxAncestors], true
		}
		dp.AncestorsTruncated = trunc
		for _, a := range anc {
			aexe, aargs := a.Exe, a.Args
			if x, ok := execAt(a, f.Time); ok {
				aexe, aargs = x.Exe, x.Args
			}
			ae, aeh := lossless(aexe)
			aa, aah := losslessArgs(aargs)
			inf, why := inferredProcess(a)
			dp.Ancestors = append(dp.Ancestors, DocAncestor{PID: a.Key.PID, Exe: ae, ExeHex: aeh, Args: aa, ArgsHex: aah, Inferred: inf, Reason: why})
		}
	}
	if ev != nil {
		if dp.PID == 0 {
			dp.PID = ev.PID
		}
		if ev.PPID > 0 {
			dp.PPID = ev.PPID
		}
		if ev.Exe != "" {
			exe = ev.Exe
		}
		if ev.Kind == parser.KindExec && len(ev.Args) > 0 {
			args = ev.Args
		}
		if ev.Cwd != "" {
			cwd = ev.Cwd
		}
		if ev.User != "" {
			user = ev.User
		}
		if ev.UID.Set {
			uid = ev.UID
		}
		if ev.AUID.Set || ev.SES.Set {
			auid, ses = ev.AUID, ev.SES
		}
		if ev.Container().ID != "" {
			dp.ContainerID, dp.ContainerName = ev.Container().ID, ev.Container().Name
		}
	}
	if dp.ContainerID == "" {
		if ch := b.chainFor(f); ch != nil {
			dp.ContainerID = ch.Container.ID
		}
	}
	dp.ContainerID, dp.ContainerName = valid(dp.ContainerID), valid(dp.ContainerName)
	dp.Exe, dp.ExeHex = lossless(exe)
	dp.Args, dp.ArgsHex = losslessArgs(args)
	dp.Cwd, dp.CwdHex = lossless(cwd)
	dp.User = valid(user)
	dp.UID, dp.AUID, dp.SES = uid.Value(), auid.Value(), ses.Value()
	if dp.Ancestors == nil {
		dp.Ancestors = []DocAncestor{}
	}
	return dp
}

// chainFor returns the first chain that holds f. The index is built once:
// searching every chain per finding was quadratic on big reports.
func (b *builder) chainFor(f *detect.Finding) *timeline.Chain {
	if b.chainIdx == nil {
		b.chainIdx = map[*detect.Finding]*timeline.Chain{}
		for _, ch := range b.c.Chains {
			if ch == nil {
				continue
			}
			for _, x := range ch.Findings {
				if _, seen := b.chainIdx[x]; !seen {
					b.chainIdx[x] = ch
				}
			}
		}
	}
	return b.chainIdx[f]
}

// execAt returns the exec of p in force at t, or its first one when every
// exec came after t.
func execAt(p *parser.Process, t time.Time) (parser.Exec, bool) {
	if x, ok := p.ExecAt(t); ok {
		return x, true
	}
	if len(p.Execs) > 0 {
		return p.Execs[0], true
	}
	return parser.Exec{}, false
}

// evidence lists the finding's source events, the matched one first, then
// the related ones in time order; an event listed twice is kept once.
func evidence(f *detect.Finding) []DocEvidence {
	out := []DocEvidence{}
	seen := map[string]bool{}
	add := func(ev *parser.Event, role string) {
		if ev == nil {
			return
		}
		for _, e := range ev.Evidence {
			key := e.Pos.File + "\x00" + strconv.Itoa(e.Pos.Line) + "\x00" + strconv.FormatUint(e.Serial, 10)
			if seen[key] {
				continue
			}
			seen[key] = true
			raw, rawHex := lossless(e.Raw)
			out = append(out, DocEvidence{
				File: valid(e.Pos.File), Line: e.Pos.Line, Serial: e.Serial, Raw: raw, RawHex: rawHex,
				Offset: e.Pos.Offset, Role: role, Time: utc(ev.Time), Kind: ev.Kind.String(),
				Summary: valid(summarize(ev)), PID: ev.PID,
			})
		}
	}
	add(f.Event, "event")
	rel := slices.Clone(f.Related)
	sort.SliceStable(rel, func(i, j int) bool {
		a, b := rel[i], rel[j]
		if a == nil || b == nil {
			return b == nil && a != nil
		}
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		ea, eb := a.FirstEvidence(), b.FirstEvidence()
		if ea.Pos.File != eb.Pos.File {
			return ea.Pos.File < eb.Pos.File
		}
		return ea.Pos.Line < eb.Pos.Line
	})
	if f.Actor != nil && !slices.Contains(rel, f.Actor) {
		// the command behind the act: first of the related, as it came
		// first
		add(f.Actor, "related")
	}
	for _, ev := range rel {
		add(ev, "related")
	}
	return out
}

// request describes an access-log request; ok is false for anything else.
func request(ev *parser.Event) (DocRequest, bool) {
	if ev == nil || ev.HTTP == nil {
		return DocRequest{}, false
	}
	h := ev.HTTP
	u := h.Path
	if h.Query != "" {
		u += "?" + h.Query
	}
	r := DocRequest{Time: utc(ev.Time), Client: valid(h.Client), Method: valid(h.Method), Status: h.Status, VHost: valid(h.VHost)}
	r.URL, r.URLHex = lossless(u)
	r.UserAgent = valid(h.UserAgent)
	if e := ev.FirstEvidence(); e.Pos.File != "" {
		raw, rawHex := lossless(e.Raw)
		r.Evidence = &DocEvidence{File: valid(e.Pos.File), Line: e.Pos.Line, Raw: raw, RawHex: rawHex,
			Offset: e.Pos.Offset, Role: "related", Time: utc(ev.Time), Kind: ev.Kind.String(), Summary: valid(summarize(ev))}
	}
	return r, true
}

// requests describes a stage's own requests in time order; never nil.
func requests(evs []*parser.Event) []DocRequest {
	out := []DocRequest{}
	for _, ev := range evs {
		if r, ok := request(ev); ok {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// pathText is an event's target as the summary gives it: a name resolved
// by its inode says so, with the record's own relative name.
func pathText(ev *parser.Event) string {
	if !ev.PathByInode {
		return ev.Path
	}
	rel := ""
	for _, p := range ev.Paths {
		if p.Name != "" && !strings.HasPrefix(p.Name, "/") {
			rel = p.Name
			break
		}
	}
	return ev.Path + " (named by its inode: the record gives " + rel + " relative to a directory descriptor, and earlier records of this host name that inode " + ev.Path + ")"
}

// summarize says in one line what an event did. The text is attacker
// controlled (argv, paths, URLs) and renderers escape it.
func summarize(ev *parser.Event) string {
	switch ev.Kind {
	case parser.KindExec:
		if len(ev.Args) > 0 {
			return "exec " + strings.Join(ev.Args, " ")
		}
		return "exec " + ev.Exe
	case parser.KindFork:
		return "fork child " + strconv.Itoa(ev.Child)
	case parser.KindExit:
		return "exit"
	case parser.KindFileWrite:
		return "write " + pathText(ev)
	case parser.KindFileRead:
		return "read " + pathText(ev)
	case parser.KindRename:
		return "rename " + ev.OldPath + " → " + ev.Path
	case parser.KindUnlink:
		return "delete " + pathText(ev)
	case parser.KindChmod:
		return "chmod " + pathText(ev)
	case parser.KindChown:
		return "chown " + pathText(ev)
	case parser.KindConnect:
		return "connect " + ev.Peer.String()
	case parser.KindAccept:
		return "accept from " + ev.Peer.String()
	case parser.KindBind:
		return "bind " + ev.Peer.String()
	case parser.KindHTTP:
		if h := ev.HTTP; h != nil {
			u := h.Path
			if h.Query != "" {
				u += "?" + h.Query
			}
			return strings.TrimSpace(h.Method+" "+u) + " → " + strconv.Itoa(h.Status) + " from " + h.Client
		}
	case parser.KindAlert:
		if a := ev.Alert(); a != nil {
			return a.Source + " alert " + a.Rule + ": " + a.Output
		}
	case parser.KindLogin, parser.KindSession:
		return strings.TrimSpace(ev.Kind.String() + " " + ev.Op + " " + ev.Account + " " + ev.Message)
	}
	s := strings.TrimSpace(ev.Op + " " + ev.Message)
	if s == "" {
		s = ev.Syscall
	}
	if s == "" {
		s = ev.Kind.String()
	}
	return s
}

// lossless returns s as valid UTF-8 (U+FFFD for bad bytes) and, only when s
// was not valid, its original bytes in hex.
func lossless(s string) (string, string) {
	if utf8.ValidString(s) {
		return s, ""
	}
	return strings.ToValidUTF8(s, "\uFFFD"), hex.EncodeToString([]byte(s))
}

// losslessArgs is lossless for argv: args_hex holds every argument in hex,
// in order, when any of them was not valid UTF-8. The result is never nil so
// the JSON shows [] rather than null.
func losslessArgs(args []string) ([]string, []string) {
	out := make([]string, len(args))
	bad := false
	for i, a := range args {
		v, h := lossless(a)
		out[i] = v
		bad = bad || h != ""
	}
	if !bad {
		return out, nil
	}
	hx := make([]string, len(args))
	for i, a := range args {
		hx[i] = hex.EncodeToString([]byte(a))
	}
	return out, hx
}

// valid is lossless for text where hex beside it would be noise (reasons,
// host names): each bad byte becomes the escape \xNN, as the text report
// writes it (display.go), never U+FFFD, which would hide which bytes.
func valid(s string) string { return escapeInvalid(s) }

func validAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = valid(s)
	}
	return out
}

func sortedUnique(ss []string) []string {
	out := validAll(ss)
	slices.Sort(out)
	out = slices.Compact(out)
	if i := slices.Index(out, ""); i >= 0 {
		out = slices.Delete(out, i, i+1)
	}
	return out
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// utc keeps the zero time zero (omitted on the wire) and moves others to UTC.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
