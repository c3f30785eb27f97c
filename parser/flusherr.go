package parser

// reportFlushError records an error found at the end of an input, where a
// decoder's Flush cannot return one.
func reportFlushError(in *Input, err error) {
	if in == nil || err == nil {
		return
	}
	in.Malformed++
	pe, ok := err.(*Error)
	if !ok {
		pe = &Error{Pos: Pos{File: in.Path}, Err: err}
	}
	in.Errors.Add(pe)
}

// flushReporter is reportFlushError for in, for the format packages, which
// know nothing of Input.
func flushReporter(in *Input) func(error) {
	return func(err error) { reportFlushError(in, err) }
}
