package parser

// STUB: replaced by the real DockerJSON parser.

func sniffDockerJSON(line []byte) bool { return false }

func newDockerJSONDecoder(in *Input, opts *Options) decoder { return nil }
