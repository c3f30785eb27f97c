package proctree

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkSpillPIDsComeRound builds a spilling tree over a history whose
// pids wrap, as a long archive's do: 200 000 execs, each under a parent
// shell among 2 000, pids handed out in turn from 60 000, so that by the
// time a pid comes round its process is on disk. It measures what the pid
// index and the read-back cost per event. Bytes are the record text such
// an exec would take in an audit log (about 1 KB), so that MB/s compares
// with the reader's benchmarks.
func BenchmarkSpillPIDsComeRound(b *testing.B) {
	const n, pids, shells = 200_000, 60_000, 2_000
	evs := make([]*Event, 0, n)
	at := time.Unix(1_700_000_000, 0).UTC()
	for i := range n {
		pid := 3000 + i%pids
		ppid := 100 + i%shells
		evs = append(evs, &Event{Kind: KindExec, Time: at.Add(time.Duration(i) * time.Second), PID: pid, PPID: ppid,
			Exe: "/usr/bin/job", Args: []string{"job", fmt.Sprint(i % 7)}, Success: true, Source: "auditd"})
	}
	b.SetBytes(n * 1024)
	b.ReportAllocs()
	dir := b.TempDir()
	for b.Loop() {
		tr := NewTree()
		tr.SpillTo(dir, 1<<14)
		for _, e := range evs {
			c := *e
			tr.Observe(&c)
		}
		if err := tr.Err(); err != nil {
			b.Fatal(err)
		}
		tr.Close()
	}
}
