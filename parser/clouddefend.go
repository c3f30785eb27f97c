package parser

// STUB: replaced by the real CloudDefend parser.

func sniffCloudDefend(line []byte) bool { return false }

func newCloudDefendDecoder(in *Input, opts *Options) decoder { return nil }
