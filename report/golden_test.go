package report

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/golden"
)

var update = flag.Bool("update", false, "rewrite .golden files")

// goldenOptions are the options of every golden report: reproducible, so
// the files do not change between runs, and in UTC.
func goldenOptions() Options { return Options{Reproducible: true, TZ: time.UTC} }

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// TestGolden renders the fixture in every format (Trivy's alpine-310.*
// style: one case, every writer).
func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		opts   func(*Options)
	}{
		{"attack.text.golden", FormatText, nil},
		{"attack-verbose.text.golden", FormatText, func(o *Options) { o.Verbose = true }},
		{"attack.json.golden", FormatJSON, nil},
		{"attack.ndjson.golden", FormatNDJSON, nil},
		{"attack.csv.golden", FormatCSV, nil},
		{"attack.html.golden", FormatHTML, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := goldenOptions()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			got := render(t, string(tc.format), opts, attackCase(fixtureOptions{}))
			checkGolden(t, tc.name, got)
		})
	}
}

// render writes c in format and fails the test on an error.
func render(t *testing.T, format string, opts Options, c *Case) []byte {
	t.Helper()
	w, err := NewWriter(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, c); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}
