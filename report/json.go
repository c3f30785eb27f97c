package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"runtime"
	"strings"
	"sync"
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
	b := newBuilder(c, jw.Options)
	d := b.skeleton()
	return writeJSONWith(w, d, b.streamFindings)
}

// writeJSON lays a Document out one finding per line. Fully indented, a
// big report spent more time re-indenting than marshalling (encoding/json
// indents in a second pass over every byte) and was unreadable anyway at
// tens of thousands of lines per finding list; one element per line also
// suits grep and line diffs. The document's fields are walked by
// reflection so that every field and its omitempty/omitzero tag is
// honoured exactly as encoding/json would (TestJSONLayoutEquivalent).
func writeJSON(w io.Writer, d *Document) error {
	return writeJSONWith(w, d, nil)
}

// writeJSONWith is writeJSON with the findings written by stream, when it
// is not nil, in place of d.Findings; it must complete d (finishFindings)
// before it returns, as the fields after the findings depend on them.
func writeJSONWith(w io.Writer, d *Document, stream func(w io.Writer, d *Document) error) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := newCompactEncoder()
	compact := func(v reflect.Value) error {
		b, err := enc.encode(v)
		bw.Write(b)
		return err
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
		streamed := name == "findings" && stream != nil
		if !streamed && ((strings.Contains(opts, "omitempty") && emptyValue(fv)) || (strings.Contains(opts, "omitzero") && fv.IsZero())) {
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
		if streamed {
			if err := stream(bw, d); err != nil {
				return err
			}
			continue
		}
		if fv.Kind() == reflect.Slice && fv.Len() > 0 && fv.Type().Elem().Kind() != reflect.String {
			bw.WriteString("[")
			if err := writeElems(bw, fv); err != nil {
				return err
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

// elemBatch is how many list elements are encoded at once: enough to keep
// every core busy, few enough that a report of a million findings is not
// held twice in memory.
const elemBatch = 4096

// compactEncoder encodes one value on one line, as every line of the
// report is encoded.
type compactEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newCompactEncoder() *compactEncoder {
	e := &compactEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	// The report is read by tools and humans, never spliced into HTML, so
	// "<" stays "<": an argv of <script> reads as it was typed.
	e.enc.SetEscapeHTML(false)
	return e
}

// encode returns v's JSON without the encoder's newline; the bytes are
// valid until the next call.
func (e *compactEncoder) encode(v reflect.Value) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v.Interface()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")), nil
}

// writeElems writes the elements of a list one per line. Encoding is most
// of the writing time of a big report and runs after the parse, when the
// other cores are idle: each batch is split into contiguous ranges encoded
// side by side, then written in order, so the bytes are those of a
// sequential encoding.
func writeElems(w io.Writer, list reflect.Value) error {
	workers := runtime.GOMAXPROCS(0)
	bufs := make([]bytes.Buffer, workers)
	errs := make([]error, workers)
	for lo := 0; lo < list.Len(); lo += elemBatch {
		hi := min(lo+elemBatch, list.Len())
		for k := range bufs {
			bufs[k].Reset()
		}
		inRanges(hi-lo, workers, func(k, from, to int) {
			errs[k] = encodeElems(&bufs[k], list, lo+from, lo+to)
		})
		for k := range workers {
			if errs[k] != nil {
				return errs[k]
			}
			if _, err := w.Write(bufs[k].Bytes()); err != nil {
				return err
			}
		}
	}
	return nil
}

// inRanges splits [0, n) into at most workers contiguous ranges, calls
// fn(k, from, to) for range k on goroutines of their own, and waits.
func inRanges(n, workers int, fn func(k, from, to int)) {
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for k := 0; k*per < n; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(k, k*per, min((k+1)*per, n))
		}()
	}
	wg.Wait()
}

// encodeElems encodes list[from:to], each element on its own line after a
// separator ("," but for the list's first element).
func encodeElems(b *bytes.Buffer, list reflect.Value, from, to int) error {
	enc := newCompactEncoder()
	for j := from; j < to; j++ {
		if j > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		one, err := enc.encode(list.Index(j))
		if err != nil {
			return err
		}
		b.Write(one)
	}
	return nil
}
