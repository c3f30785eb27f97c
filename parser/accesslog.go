package parser

// STUB: replaced by the real AccessLog parser.

func sniffAccessLog(line []byte) bool { return false }

func newAccessLogDecoder(in *Input, opts *Options) decoder { return nil }
