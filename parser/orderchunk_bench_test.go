package parser

import (
	"io"
	"os"
	"strconv"
	"testing"
)

// BenchmarkScanOrderPlain is the first pass alone over
// $AUDITCHAIN_BENCH_LOG, by chunk size.
func BenchmarkScanOrderPlain(b *testing.B) {
	p := os.Getenv("AUDITCHAIN_BENCH_LOG")
	if p == "" {
		b.Skip("set AUDITCHAIN_BENCH_LOG to an audit log")
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	for _, kb := range []int{64, 128, 256, 1024} {
		b.Run(strconv.Itoa(kb)+"KiB", func(b *testing.B) {
			defer func(c int) { orderChunk = c }(orderChunk)
			orderChunk = kb << 10
			b.SetBytes(st.Size())
			cpu0 := benchCPU()
			for b.Loop() {
				in := &Input{Path: p, open: func() (io.ReadCloser, error) { return os.Open(p) }}
				if _, _, err := scanOrderPlain(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(benchCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
