package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

var benchLog = flag.String("benchlog", "", "audit log for BenchmarkScan/BenchmarkTreeStats (make one with testdata/bench/genlog)")

// BenchmarkScan is the whole scan of -benchlog, report to io.Discard: the
// figure testdata/bench/bench.sh compares with ausearch, here under
// -cpuprofile/-memprofile. Without -benchlog it runs on the lab's busy
// innocent day, so that it always measures something.
func BenchmarkScan(b *testing.B) {
	benchCLI(b, "scan", "--format", "json", "--fail-on", "none")
}

// BenchmarkTreeStats is parsing and the process tree alone.
func BenchmarkTreeStats(b *testing.B) {
	benchCLI(b, "tree", "--stats")
}

func benchCLI(b *testing.B, args ...string) {
	b.Setenv(poisonEnv, "") // measure what users run: recycled events reused
	path := *benchLog
	if path == "" {
		path = "../../testdata/lab/benign-day/audit.log"
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if code := run(append(args, path), strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	// The machine the benchmarks run on is shared: the process's CPU time
	// (user + system, every thread, the collector's too) moves far less
	// with the neighbours' load than the wall time does, so compare this.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
