package sensor

import (
	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// docStream is the line side of the sensors whose exports are JSON
// documents, one a line or pretty-printed over many (Tetragon,
// cloud_defend): it joins lines into documents and hands each to the
// decoder's own doc function. Embedded, it is the decoder's Flush.
type docStream struct {
	report func(error) // errors Line cannot return
	join   jsonrec.Joiner
	docs   []jsonrec.Doc
}

func (s *docStream) line(pos event.Pos, line []byte, out []*event.Event,
	doc func(pos event.Pos, doc []byte, out []*event.Event) ([]*event.Event, error)) ([]*event.Event, error) {
	if len(line) >= event.MaxLine {
		return out, event.NewError(pos, string(line), event.ErrTooLong)
	}
	s.docs = s.join.Feed(pos, line, s.docs[:0])
	return jsonrec.DecodeDocs(s.report, s.docs, out, doc)
}

// Flush reports a document the input left unfinished.
func (s *docStream) Flush(out []*event.Event) []*event.Event {
	if doc, ok := s.join.Flush(); ok {
		s.report(doc.Err)
	}
	return out
}
