package parser

import (
	"bytes"
	"os"
	"testing"
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
