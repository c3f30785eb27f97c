package parser

import (
	"bytes"

	"github.com/auditchain/auditchain/parser/internal/auditd"
	"github.com/auditchain/auditchain/parser/internal/envelope"
)

// Log-shipper envelopes and journald exports live in
// parser/internal/envelope. They wrap records of the other formats, auditd
// included, so what they need of those comes from here: the sniffing and
// the decoders of a wrapped record (wrapped).

func sniffEnvelope(line []byte) bool { return envelope.Sniff(line, innerFormat) }
func sniffJournald(line []byte) bool { return envelope.SniffJournald(line) }

func newEnvelopeDecoder(in *Input, opts *Options) decoder {
	return envelope.New(wrapped(in, opts))
}

func newJournaldDecoder(in *Input, opts *Options) decoder {
	return envelope.NewJournald(wrapped(in, opts))
}

// wrapped is what the envelope decoders of one input need of the formats
// they unwrap.
func wrapped(in *Input, opts *Options) envelope.Formats {
	return envelope.Formats{
		Sniff: innerFormat,
		New: func(f Format) decoder {
			if f == FormatAuditd {
				return newAuditDecoder(in, opts)
			}
			return newFormatDecoder(f, in, opts)
		},
		IsAuditType: auditd.IsTypeName,
	}
}

// wrapsOtherFormat reports whether an ECS document is a shipper's envelope
// around a record of another format (for sniffCloudDefend).
func wrapsOtherFormat(doc map[string]any) bool {
	rec, _ := envelope.Record(doc)
	return rec != "" && innerFormat([]byte(rec)) != FormatUnknown
}

// innerFormat names the format of an unwrapped record, trying the formats
// an envelope can hold. Envelopes and journald records are not nested in
// envelopes, so they are not tried: no recursion on hostile input.
func innerFormat(rec []byte) Format {
	rec = bytes.TrimSpace(rec)
	if len(rec) == 0 {
		return FormatUnknown
	}
	if rec[0] == '{' {
		switch {
		case sniffTetragon(rec):
			return FormatTetragon
		case sniffFalco(rec):
			return FormatFalco
		case sniffK8sAudit(rec):
			return FormatK8sAudit
		case sniffCloudDefend(rec):
			return FormatCloudDefend
		}
	} else {
		switch {
		case sniffAuditd(rec):
			return FormatAuditd
		case sniffSysmon(rec):
			return FormatSysmon
		}
	}
	if sniffAccessLog(rec) { // also JSON access logs
		return FormatAccessLog
	}
	return FormatUnknown
}

// newFormatDecoder makes the decoder of a format that can be wrapped. It
// does not use the formats table: the table refers to the envelope decoder,
// and referring back to it would be an initialization cycle.
func newFormatDecoder(f Format, in *Input, opts *Options) decoder {
	var d decoder
	switch f {
	case FormatSysmon:
		d = newSysmonDecoder(in, opts)
	case FormatTetragon:
		d = newTetragonDecoder(in, opts)
	case FormatFalco:
		d = newFalcoDecoder(in, opts)
	case FormatK8sAudit:
		d = newK8sAuditDecoder(in, opts)
	case FormatCloudDefend:
		d = newCloudDefendDecoder(in, opts)
	case FormatAccessLog:
		d = newAccessLogDecoder(in, opts)
	}
	return d
}
