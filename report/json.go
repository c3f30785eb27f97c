package report

import (
	"encoding/json"
	"io"
)

// JSONWriter writes the auditchain.report/v1 Document, indented, one
// trailing newline. The bytes depend only on the Case and Options.
type JSONWriter struct {
	Options Options
}

// Write implements Writer.
func (jw *JSONWriter) Write(w io.Writer, c *Case) error {
	return writeJSON(w, NewDocument(c, jw.Options))
}

func writeJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The report is read by tools and humans, never spliced into HTML, so
	// "<" stays "<": an argv of <script> reads as it was typed.
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}
