package report

import (
	"bytes"
	"io"
	"slices"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestJSONStreamed: the JSON writer, which converts and encodes the
// findings a batch at a time, writes the bytes of the whole Document built
// at once, across batch boundaries too.
func TestJSONStreamed(t *testing.T) {
	// more findings than a batch holds, the chained ones in the last
	// batch: copies of the fixture's findings (in no chain) before them
	for _, tc := range []struct {
		name string
		c    *Case
	}{
		{"attack", attackCase(fixtureOptions{})},
		{"attack with links", linked(attackCase(fixtureOptions{links: true, scan: true}))},
		{"empty", &Case{}},
		{"more findings than a batch", manyFindings(streamBatch + 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var whole, streamed bytes.Buffer
			if err := writeJSON(&whole, NewDocument(tc.c, goldenOptions())); err != nil {
				t.Fatal(err)
			}
			if err := (&JSONWriter{Options: goldenOptions()}).Write(&streamed, tc.c); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
				a, b := whole.String(), streamed.String()
				i := 0
				for i < min(len(a), len(b)) && a[i] == b[i] {
					i++
				}
				t.Errorf("streamed JSON differs from the whole Document's at byte %d of %d/%d:\nwhole:    %.200q\nstreamed: %.200q", i, len(a), len(b), a[i:], b[i:])
			}
			if !bytes.Contains(streamed.Bytes(), []byte(`"chain_link"`)) && len(tc.c.Chains) > 0 && tc.name != "attack" {
				t.Errorf("no finding has a chain_link: the test does not check the linking")
			}
		})
	}
}

// linked adds a link naming a pid, as the timeline writes them: the
// fixture's links name none, so no finding would have a chain_link.
func linked(c *Case) *Case {
	ch := c.Chains[0]
	ch.Links = append(ch.Links, "fork: pid 901 (php-fpm8.2) forked pid 1200 (sh) at 10:00:03.120")
	return c
}

// manyFindings is the fixture with at least n more findings: copies of its
// own (in no chain) before them, the chained ones last.
func manyFindings(n int) *Case {
	c := linked(attackCase(fixtureOptions{links: true}))
	var copies []*detect.Finding
	for len(copies) < n {
		for _, f := range c.Findings {
			g := *f
			copies = append(copies, &g)
		}
	}
	c.Findings = slices.Concat(copies, c.Findings)
	return c
}

// BenchmarkJSONWrite is the JSON report of a case of 20 000 findings, the
// writer's part of a scan of a long attacked history.
func BenchmarkJSONWrite(b *testing.B) {
	c := manyFindings(20000)
	jw := &JSONWriter{Options: goldenOptions()}
	var n countingWriter
	if err := jw.Write(&n, c); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if err := jw.Write(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
