package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"
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
	path := *benchLog
	if path == "" {
		path = "../../testdata/lab/benign-day/audit.log.gz"
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		if code := run(append(args, path), strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
