package parser

import (
	"github.com/auditchain/auditchain/parser/internal/auditd"
	"github.com/auditchain/auditchain/parser/internal/event"
)

// The auditd hot path (header, field scanner, reassembly, normalization)
// lives in parser/internal/auditd; parser reads the inputs (reader.go's
// parallel pipeline, order.go's time-order lanes) and hands it their bytes.

// DefaultWindow is how many records may pass before an event that is still
// open is taken as complete. auditd writes no EOE lines to disk, and kernel
// records of one event are written together, so a small window suffices;
// it only matters for events that lack a PROCTITLE.
const DefaultWindow = auditd.DefaultWindow

// maxLine bounds one line (event.MaxLine).
const maxLine = event.MaxLine

// auditInput is in as the auditd decoders see it: they count and keep its
// bad records.
func auditInput(in *Input) *auditd.Input {
	return &auditd.Input{Path: in.Path, Errors: &in.Errors, Malformed: &in.Malformed}
}

// auditd returns the options the auditd decoders read.
func (o *Options) auditd() *auditd.Options {
	return &auditd.Options{Host: o.Host, Users: o.Users, Window: o.Window, Limits: o.Limits.auditd(), Blocks: o.blocks}
}

func newAuditDecoder(in *Input, opts *Options) decoder {
	return auditd.NewDecoder(auditInput(in), opts.auditd())
}
