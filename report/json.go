package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// JSONWriter writes the auditchain.report/v1 Document: the document's own
// fields one per line, and each element of its lists (findings, chains,
// inputs, IOCs …) compact on a line of its own. The bytes depend only on
// the Case and Options.
type JSONWriter struct {
	Options Options
}

// Write implements Writer.
func (jw *JSONWriter) Write(w io.Writer, c *Case) error {
	return writeJSON(w, NewDocument(c, jw.Options))
}

// writeJSON lays a Document out one finding per line. Fully indented, a
// big report spent more time re-indenting than marshalling (encoding/json
// indents in a second pass over every byte) and was unreadable anyway at
// tens of thousands of lines per finding list; one element per line also
// suits grep and line diffs. The document's fields are walked by
// reflection so that every field and its omitempty/omitzero tag is
// honoured exactly as encoding/json would (TestJSONLayoutEquivalent).
func writeJSON(w io.Writer, d *Document) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The report is read by tools and humans, never spliced into HTML, so
	// "<" stays "<": an argv of <script> reads as it was typed.
	enc.SetEscapeHTML(false)
	compact := func(v reflect.Value) error {
		buf.Reset()
		if err := enc.Encode(v.Interface()); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return nil
	}
	v := reflect.ValueOf(d).Elem()
	t := v.Type()
	bw.WriteString("{")
	first := true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fv := v.Field(i)
		if (strings.Contains(opts, "omitempty") && emptyValue(fv)) || (strings.Contains(opts, "omitzero") && fv.IsZero()) {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		key, _ := json.Marshal(name)
		bw.WriteString("\n  ")
		bw.Write(key)
		bw.WriteString(": ")
		if fv.Kind() == reflect.Slice && fv.Len() > 0 && fv.Type().Elem().Kind() != reflect.String {
			bw.WriteString("[")
			for j := 0; j < fv.Len(); j++ {
				if j > 0 {
					bw.WriteString(",")
				}
				bw.WriteString("\n    ")
				if err := compact(fv.Index(j)); err != nil {
					return err
				}
			}
			bw.WriteString("\n  ]")
			continue
		}
		if err := compact(fv); err != nil {
			return err
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// emptyValue is encoding/json's notion of empty for omitempty.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return v.IsZero()
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
