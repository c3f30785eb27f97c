package parser

// STUB: replaced by the real DockerEvents parser.

func sniffDockerEvents(line []byte) bool { return false }

func newDockerEventsDecoder(in *Input, opts *Options) decoder { return nil }
