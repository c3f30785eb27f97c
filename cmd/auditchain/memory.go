package main

import (
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// memoryFlag is --memory-limit: a soft limit on the Go heap. The runtime
// collects garbage more often as the heap nears it and never fails because
// of it. An explicit GOMEMLIMIT in the environment wins over the default
// but not over the flag.
//
// The default is adaptive: it starts at defaultMemory and, when the live
// data itself (the process trees of a big log, the findings of a scan)
// nears it, moves to headroom × the live data. A fixed limit below what
// the data needs makes the collector run back to back — a 1 GB log took
// twice as long under a fixed 256 MiB — while no limit lets garbage pile
// up to twice the live data. tree keeps little but its trees and takes
// 1.5× (500 MB of log: 256 MB peak instead of 365 MB, ~5% slower). scan
// takes 2×: since the report streams its findings (report/jsonstream.go)
// the peak is no longer the document, and the limit trims the garbage
// piled between collections at no measured cost (300 MB logs, two runs
// each, CPU user+sys: busy-server 303–308 MB without a limit, 278–282 MB
// at 2×, 4.3–5.0 s either way; pid-repeating 510–524 MB → 449–480 MB, 8.5–
// 8.7 s either way). 1.5× took the pid-repeating log to 347–353 MB but for
// 20–30% more CPU: there the findings are the live data, and collecting
// them more often only costs time.
// (An earlier build, which held the whole report twice, measured no gain.)
type memoryFlag struct {
	value    string
	headroom float64
	// procs is --max-processes: the processes the trees keep in memory
	// before the quietest subtrees move to a temporary file.
	procs int
}

// defaultMemory is where the adaptive limit starts.
const defaultMemory = 256 << 20

// group returns the flag's group; headroom 0 means no limit by default.
func (m *memoryFlag) group(headroom float64) *flagGroup {
	m.headroom = headroom
	def := "none"
	if headroom > 0 {
		def = fmt.Sprintf("256MiB, raised to %g× the live data when the data needs more", headroom)
	}
	g := newGroup("Resources")
	g.fs.StringVar(&m.value, "memory-limit", "", "soft limit on memory `SIZE`, e.g. 512MiB or 2GiB; 0 for none (default: "+def+")")
	g.fs.IntVar(&m.procs, "max-processes", parser.DefaultSpillLimit, "processes kept in memory (`N`); past it, the subtrees quiet longest wait in a temporary file in $TMPDIR and come back when the logs name them again; 0 keeps all in memory")
	return g
}

// apply sets the limit and returns the function that stops adapting it.
func (m *memoryFlag) apply(getenv func(string) string) (stop func(), err error) {
	stop = func() {}
	if m.procs < 0 {
		return stop, usagef("--max-processes %d: want 0 (keep all in memory) or more", m.procs)
	}
	if m.value == "" && getenv("GOMEMLIMIT") != "" {
		return stop, nil // the runtime read it already
	}
	if m.value != "" {
		n, err := parseSize(m.value)
		if err != nil {
			return stop, usagef("--memory-limit %q: %v", m.value, err)
		}
		if n == 0 {
			n = 1<<63 - 1
		}
		debug.SetMemoryLimit(n)
		return stop, nil
	}
	if m.headroom <= 0 {
		return stop, nil
	}
	return adaptMemoryLimit(defaultMemory, m.headroom), nil
}

// adaptMemoryLimit keeps the soft limit at least headroom × the live heap.
// It only tunes the collector: no output depends on it.
func adaptMemoryLimit(start int64, headroom float64) (stop func()) {
	limit := start
	debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			// move before the collector starts running back to back:
			// when the live data reaches 80% of the way to the limit
			if live := float64(sample[0].Value.Uint64()); live*(1+0.8*(headroom-1)) > float64(limit) {
				limit = int64(live * headroom)
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() { close(done) }
}

// parseSize reads 256MiB, 2GiB, 512MB, 1G or a plain number of bytes.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a size such as 256MiB, 2GiB or 0")
	}
	return n * mult, nil
}
