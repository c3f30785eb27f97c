package parser

// STUB: replaced by the real Falco parser.

func sniffFalco(line []byte) bool { return false }

func newFalcoDecoder(in *Input, opts *Options) decoder { return nil }
