package parser

// STUB: replaced by the real Sysmon parser.

func sniffSysmon(line []byte) bool { return false }

func newSysmonDecoder(in *Input, opts *Options) decoder { return nil }
