package parser

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// benchLog is the project's real excerpt repeated to about 8 MB, so that
// pipeline start-up does not dominate.
func benchLog(b *testing.B) []byte {
	src, err := os.ReadFile("testdata/auditd/real_execve_forms.log")
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(src, 8<<20/len(src))
}

// BenchmarkReader measures the whole parse: reassembly, parallel field
// decoding, normalization and tree building.
func BenchmarkReader(b *testing.B) {
	data := benchLog(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ins, _ := Resolve([]string{"-"}, bytes.NewReader(data))
		r := NewReader(ins, Options{})
		if err := r.All(func(*Event) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderFile reads the log named by $AUDITCHAIN_BENCH_LOG (for
// example one made by testdata/bench/genlog), to profile on real volume.
func BenchmarkReaderFile(b *testing.B) {
	p := os.Getenv("AUDITCHAIN_BENCH_LOG")
	if p == "" {
		b.Skip("set AUDITCHAIN_BENCH_LOG to an audit log")
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	// memory keeps every process (scan); spill is what tree does
	for _, c := range []struct {
		name  string
		limit int
	}{{"memory", 0}, {"spill", DefaultSpillLimit}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				ins, _ := Resolve([]string{p}, nil)
				r := NewReader(ins, Options{SpillLimit: c.limit})
				if err := r.All(func(*Event) {}); err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
		})
	}
}

// BenchmarkAuditInput is the input side of a scan alone on the log named
// by $AUDITCHAIN_BENCH_LOG: the first pass (time order and SHA-256), the
// read proper, record assembly and field decoding, events handed back as
// scan's loop does for those nobody retains; no trees. cpu-ns/op is the
// process's CPU time (user + system, every goroutine): the machine the
// benchmarks run on is shared, and wall time moves most with the load.
func BenchmarkAuditInput(b *testing.B) {
	p := os.Getenv("AUDITCHAIN_BENCH_LOG")
	if p == "" {
		b.Skip("set AUDITCHAIN_BENCH_LOG to an audit log")
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	cpu0 := benchCPU()
	for b.Loop() {
		ins, _ := Resolve([]string{p}, nil)
		opts := Options{}
		opts.Limits.Decompress.decoders = newZstdPool()
		opts.blocks = &event.Blocks{}
		s := newAuditStream(ins, &opts)
		n := 0
		for {
			ev, err := s.next()
			if err != nil {
				break
			}
			n++
			opts.blocks.Recycle(ev)
		}
		s.close()
		opts.Limits.Decompress.decoders.close()
		if n == 0 {
			b.Fatal("no events")
		}
	}
	b.ReportMetric(float64(benchCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
