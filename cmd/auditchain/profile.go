package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profileFlags are --cpuprofile and --memprofile: hidden flags for the
// developers, so a profile is taken of the binary users run, on the logs
// that are slow, not of a test harness (README, Speed).
type profileFlags struct {
	cpu, mem string
	cpuFile  *os.File
}

func (p *profileFlags) addFlags(g *flagGroup) {
	g.fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile (pprof) to `FILE`")
	g.fs.StringVar(&p.mem, "memprofile", "", "write a heap profile (pprof) to `FILE` just before the report is written, when the most is live")
	_ = g.fs.MarkHidden("cpuprofile")
	_ = g.fs.MarkHidden("memprofile")
}

// start begins the CPU profile; stop ends it.
func (p *profileFlags) start() error {
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
// live.
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
