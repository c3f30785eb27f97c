package parser

// STUB: replaced by the real Envelope parser.

func sniffEnvelope(line []byte) bool { return false }

func newEnvelopeDecoder(in *Input, opts *Options) decoder { return nil }
