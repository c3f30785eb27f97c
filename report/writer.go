package report

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Writer renders one Case. Implementations treat the Case as read-only: they
// build a Document from it (NewDocument) and render that.
type Writer interface {
	Write(w io.Writer, c *Case) error
}

// Format names an output format of `--format`.
type Format string

// The output formats.
const (
	FormatText   Format = "text"   // the default: a readable story for a terminal or a file
	FormatJSON   Format = "json"   // the auditchain.report/v1 contract, indented
	FormatNDJSON Format = "ndjson" // one ECS-style finding (then indicator) per line
	FormatHTML   Format = "html"   // one self-contained file, no network loads
	FormatCSV    Format = "csv"    // a Timesketch timeline of every chain event
)

// Formats lists the output formats, default first, for help texts.
func Formats() []Format {
	return []Format{FormatText, FormatJSON, FormatNDJSON, FormatHTML, FormatCSV}
}

// Options control every writer. The zero Options render text in UTC without
// colour.
type Options struct {
	// Reproducible omits everything that changes between two runs over the
	// same inputs (generated_at, stats.duration_ms) so that the output is
	// byte-identical.
	Reproducible bool
	// Verbose quotes the raw evidence records (file:line) in the text report
	// and shows argv unshortened.
	Verbose bool
	// Color adds ANSI colours to the text report. The CLI sets it for a
	// terminal without NO_COLOR; writers never look at the environment.
	Color bool
	// TZ is the zone of times in the text and HTML reports; JSON, NDJSON and
	// CSV are always UTC (DESIGN.md). Nil means UTC.
	TZ *time.Location
	// TreeLimit caps the process-tree nodes kept per chain; 0 means
	// DefaultTreeLimit. A web server with thousands of workers must not
	// turn the report into a process listing.
	TreeLimit int
}

// DefaultTreeLimit is the number of process-tree nodes kept per chain unless
// Options.TreeLimit says otherwise.
const DefaultTreeLimit = 200

func (o Options) tz() *time.Location {
	if o.TZ == nil {
		return time.UTC
	}
	return o.TZ
}

func (o Options) treeLimit() int {
	if o.TreeLimit <= 0 {
		return DefaultTreeLimit
	}
	return o.TreeLimit
}

// NewWriter returns the writer for format ("" means text). The error names
// the formats there are.
func NewWriter(format string, opts Options) (Writer, error) {
	switch Format(strings.ToLower(strings.TrimSpace(format))) {
	case "", FormatText:
		return &TextWriter{Options: opts}, nil
	case FormatJSON:
		return &JSONWriter{Options: opts}, nil
	case FormatNDJSON:
		return &NDJSONWriter{Options: opts}, nil
	case FormatHTML:
		return &HTMLWriter{Options: opts}, nil
	case FormatCSV:
		return &CSVWriter{Options: opts}, nil
	}
	names := make([]string, 0, 5)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return nil, fmt.Errorf("unknown report format %q (want %s)", format, strings.Join(names, ", "))
}
