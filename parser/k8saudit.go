package parser

// STUB: replaced by the real K8sAudit parser.

func sniffK8sAudit(line []byte) bool { return false }

func newK8sAuditDecoder(in *Input, opts *Options) decoder { return nil }
