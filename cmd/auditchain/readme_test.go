package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeSample: the README shows what its first command prints. Every
// line of that sample (between the "…" cuts) must still be a line of the
// report, in the same order; only the lines that change with each build or
// run (generation time, binary hash, rule digest) are left out.
func TestReadmeSample(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "What the first command prints")
	if i < 0 {
		t.Fatal("README has no sample output")
	}
	start := strings.Index(readme[i:], "```text\n")
	end := strings.Index(readme[i+start+8:], "\n```")
	if start < 0 || end < 0 {
		t.Fatal("README's sample is not a ```text block")
	}
	sample := strings.Split(readme[i+start+8:i+start+8+end], "\n")

	_, out, _ := runCLI(t, "", "scan", "../../testdata/lab/webshell-classic/")
	got := strings.Split(strings.ReplaceAll(out, "../../testdata/", "testdata/"), "\n")
	at := 0
	for _, want := range sample {
		if want == "" || want == "…" || strings.HasPrefix(want, "Generated:") ||
			strings.HasPrefix(want, "Binary:") || strings.HasPrefix(want, "Rules:") {
			continue
		}
		for at < len(got) && got[at] != want {
			at++
		}
		if at == len(got) {
			t.Fatalf("README sample line not in the report (in this order):\n%s\n(regenerate the sample from 'go run ./cmd/auditchain scan testdata/lab/webshell-classic/')", want)
		}
		at++
	}
}
