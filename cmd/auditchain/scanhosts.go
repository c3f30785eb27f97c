package main

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// A scan reads its audit logs as one stream, and one goroutine takes every
// event through the process trees, the rules and the timeline: that
// goroutine is the bottleneck of a big scan. Audit logs never span hosts,
// though, and nothing in the trees, the rules or the timeline's lists joins
// two hosts while the logs are read (their keys all name the host). So
// when the inputs are several hosts' audit logs, each host's inputs are
// read by a reader, trees, engine and timeline of its own, the hosts side
// by side (--jobs at once), and what they found is joined afterwards
// (parser.UnionTrees, detect.Engine.Absorb, timeline.Builder.Absorb)
// before the chains are built once, for every host, as before.
//
// One stream reads its audit logs one after another, in the order of the
// inputs (parser's audit stream), so a host whose inputs come one after
// another is read as a block; joining the blocks in that order gives the
// lists, counts and notes of the one stream, and the report is byte for
// byte the same. A partition is made only when that holds: every input an
// audit log (access logs and runtime logs belong to no host), the head of
// each naming one host, at least two hosts, each host's inputs together.
// The head is a hint: a partition's reader checks the host of every event,
// and one of another host (a forwarded log that gathers several) stops the
// partitions; the scan then reads everything again as one stream.
//
// The bounds of detection and of the timeline's lists (oldest first, or a
// total) then apply per host: past them each host keeps what a scan of that
// host alone keeps, where one stream shares them between hosts.

// hostPart is the inputs of one host, in reading order.
type hostPart struct {
	host   string
	inputs []*parser.Input
}

// hostPartitions splits inputs by host when that reads them as one stream
// would (see above), else returns nil. def is the host of records without
// node= (--node-name).
func hostPartitions(ins []*parser.Input, def string) []hostPart {
	var parts []hostPart
	seen := map[string]bool{}
	for _, in := range ins {
		node, ok := in.HeadNode()
		if !ok {
			return nil
		}
		if node == "" {
			node = def
		}
		if n := len(parts); n > 0 && parts[n-1].host == node {
			parts[n-1].inputs = append(parts[n-1].inputs, in)
			continue
		}
		if seen[node] {
			return nil // the host's inputs are not together
		}
		seen[node] = true
		parts = append(parts, hostPart{host: node, inputs: []*parser.Input{in}})
	}
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// scanPart reads one set of inputs through its own trees, engine and
// timeline: a host's partition, or every input as one stream.
type scanPart struct {
	host  string // the partition's host, when check
	check bool   // every event must be of host
	r     *parser.Reader
	eng   *detect.Engine
	tl    *timeline.Builder
	span  *evidenceSpan
	found []*detect.Finding
	err   error
	// foreign is set when an event of another host came (check)
	foreign bool
}

// run reads every event; stop, when set by another partition, ends it early.
func (p *scanPart) run(stop *atomic.Bool) {
	p.span = newEvidenceSpan()
	for {
		if stop != nil && stop.Load() {
			return
		}
		x, err := p.r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.err = err
			break
		}
		if p.check && x.Host != p.host {
			p.foreign = true
			stop.Store(true)
			return
		}
		p.span.observe(x)
		p.tl.Observe(x)
		p.found = append(p.found, p.eng.Observe(x, p.r.Tree())...)
		if x.Retained() {
			// kept for its fields (parser.Event.Retain): its text can
			// go unless a consumer quotes it
			p.r.Compact(x)
		}
		p.r.Recycle(x) // kept by nobody (Event.Retain): its memory is reused
	}
	p.found = append(p.found, p.eng.Finish()...)
}

// scanRead is what reading the evidence leaves for the rest of the scan.
type scanRead struct {
	tree     *parser.Tree
	stats    parser.Stats
	findings []*detect.Finding
	span     *evidenceSpan
	err      error // the first reading error, in input order
	close    func()
}

// readSerial reads every input as one stream, with engine and builder.
func readSerial(ev *evidence, engine *detect.Engine, builder *timeline.Builder) *scanRead {
	p := &scanPart{r: parser.NewReader(ev.inputs, ev.opts), eng: engine, tl: builder}
	p.run(nil)
	return &scanRead{tree: p.r.Tree(), stats: p.r.Stats(), findings: p.found, span: p.span, err: p.err, close: p.r.Close}
}

// readHosts reads each host's partition with an engine and a builder of its
// own (made by newEngine and newBuilder; the first partition uses engine
// and builder), at most jobs at once, and joins them into engine and
// builder. It returns nil, having closed what it opened, when an event of
// another host came into a partition: ev.inputs are then unread copies,
// for a reading as one stream.
func readHosts(ev *evidence, parts []hostPart, jobs int, engine *detect.Engine, builder *timeline.Builder,
	newEngine func() (*detect.Engine, error), newBuilder func(*detect.Engine) (*timeline.Builder, error)) (*scanRead, error) {
	jobs = min(max(jobs, 1), len(parts))
	ps := make([]*scanPart, len(parts))
	for i, hp := range parts {
		opts := ev.opts
		// the trees' budget in memory is shared, and so are the cores
		// that decode fields
		if opts.SpillLimit > 0 {
			opts.SpillLimit = max((opts.SpillLimit+len(parts)-1)/len(parts), 2)
		}
		if opts.Workers <= 0 {
			opts.Workers = max(runtime.GOMAXPROCS(0)/jobs, 1)
		}
		p := &scanPart{host: hp.host, check: true, eng: engine, tl: builder}
		if i > 0 {
			var err error
			if p.eng, err = newEngine(); err != nil {
				return nil, err
			}
			if p.tl, err = newBuilder(p.eng); err != nil {
				return nil, err
			}
		}
		p.r = parser.NewReader(hp.inputs, opts)
		ps[i] = p
	}
	var stop atomic.Bool
	next := make(chan *scanPart)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				p.run(&stop)
			}
		}()
	}
	for _, p := range ps {
		next <- p
	}
	close(next)
	wg.Wait()
	for _, p := range ps {
		if p.foreign {
			for _, q := range ps {
				q.r.Close()
			}
			for i, in := range ev.inputs {
				ev.inputs[i] = in.Unread()
			}
			return nil, nil
		}
	}
	rd := &scanRead{span: ps[0].span}
	trees := make([]*parser.Tree, len(ps))
	for i, p := range ps {
		trees[i] = p.r.Tree()
		rd.stats.Add(p.r.Stats())
		rd.findings = append(rd.findings, p.found...)
		if rd.err == nil {
			rd.err = p.err
		}
		if i > 0 {
			engine.Absorb(p.eng)
			builder.Absorb(p.tl)
			rd.span.absorb(p.span)
		}
	}
	rd.tree = parser.UnionTrees(trees)
	rd.close = func() {
		for _, p := range ps {
			p.r.Close() // its tree (the union's part) with it
		}
	}
	return rd, nil
}
