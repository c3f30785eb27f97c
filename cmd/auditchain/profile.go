package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/auditchain/auditchain/parser"
)

// profileFlags are --cpuprofile and --memprofile: hidden flags for the
// developers, so a profile is taken of the binary users run, on the logs
// that are slow, not of a test harness (README, Speed).
type profileFlags struct {
	cpu, mem string
	sites    bool // --pinsites: say which consumers' pins hold the processes
	cpuFile  *os.File
	held     *parser.Held // the trees' processes when the heap profile was taken
}

func (p *profileFlags) addFlags(g *flagGroup) {
	g.fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile (pprof) to `FILE`")
	g.fs.StringVar(&p.mem, "memprofile", "", "write a heap profile (pprof) to `FILE` when the logs are read, when the most is live")
	_ = g.fs.MarkHidden("cpuprofile")
	g.fs.BoolVar(&p.sites, "pinsites", false, "with --memprofile, say which consumers (source files) pin the processes kept in memory, and how many processes the trees moved out something still keeps; the heap profile then includes the tracing's own tables")
	_ = g.fs.MarkHidden("memprofile")
	_ = g.fs.MarkHidden("pinsites")
}

// start begins the CPU profile; stop ends it.
func (p *profileFlags) start() error {
	if p.sites && p.mem != "" {
		parser.TracePins()
	}
	if p.cpu == "" {
		return nil
	}
	f, err := os.Create(p.cpu)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	p.cpuFile = f
	return nil
}

func (p *profileFlags) stop() {
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		p.cpuFile.Close()
		p.cpuFile = nil
	}
}

// heap writes the heap profile after a collection, so it shows what is
// live. scan takes it when the reader is done: the detection state and the
// events the timeline keeps for linking are live then and garbage once the
// chains are built, so a profile taken before the report is written left
// out up to half of the peak (pid-repeating 500 MB: 213 MB live when read,
// 135 MB before the report).
func (p *profileFlags) heap() error {
	if p.mem == "" {
		return nil
	}
	f, err := os.Create(p.mem)
	if err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	return nil
}

// retention says, beside a heap profile, what the consumers retained of
// the events read (parser.Event.Retain): the part of the heap that follows
// the log rather than the processes.
func (p *profileFlags) retention(w io.Writer, st parser.Stats) {
	if p.mem == "" {
		return
	}
	k := st.Retained
	fmt.Fprintf(w, "auditchain: retained %d of %d events, %d with their record text (%d bytes)\n",
		k.Events, st.Events, k.TextEvents, k.TextBytes)
	if h := p.held; h != nil {
		fmt.Fprintf(w, "auditchain: %d processes in memory when reading ended: %d pinned, %d more above a pinned one\n",
			h.InMemory, h.Pinned, h.Ancestors)
		for _, s := range h.Sites {
			fmt.Fprintf(w, "auditchain:   pins of %s: %d processes pinned, %d held with their ancestors, %d by its pins alone\n",
				s.Site, s.Pinned, s.Held, s.Only)
		}
		if p.sites {
			fmt.Fprintf(w, "auditchain: %d processes the trees moved out are still referenced (kept without a pin)\n", h.MovedAlive)
		}
	}
}

// noteTree counts, with --memprofile, what keeps the trees' processes in
// memory when the heap profile is taken: pinned processes are what the
// spill cannot move, and a pin nobody takes back shows as their number
// growing with the log (README, Speed).
func (p *profileFlags) noteTree(t *parser.Tree) {
	if p.mem == "" {
		return
	}
	h := t.Held()
	p.held = &h
}
