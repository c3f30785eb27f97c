package parser

import (
	"bytes"
	"io"

	"github.com/auditchain/auditchain/parser/internal/auditd"
	"github.com/auditchain/auditchain/parser/internal/envelope"
)

// formatDef is one row of the format table.
type formatDef struct {
	format Format
	// sniff looks at one non-empty line from the start of an input.
	sniff func(line []byte) bool
	// newDecoder makes a decoder for one input; in names the file so that
	// decoders can take a container id or pod from its path.
	newDecoder func(in *Input, opts *Options) decoder
	// banner, when set, accepts a first line that only this format's
	// files begin with: the file is then of the format as soon as one
	// line of its head is a record, majority or not (a server's log that
	// opens with its start-up messages, then interleaves requests).
	banner func(line []byte) bool
	// aside, when set, accepts a line this format's files hold besides
	// their records (a server's own messages among its access records):
	// such a line does not vote on this format, neither for nor against.
	aside func(line []byte) bool
}

// formats is tried in order: the most specific sniffers first. auditd is
// handled by its own parallel pipeline and has no decoder here.
var formats = []formatDef{
	{format: FormatAuditd, sniff: sniffAuditd},
	{format: FormatJournald, sniff: sniffJournald, newDecoder: newJournaldDecoder},
	{format: FormatDockerJSON, sniff: sniffDockerJSON, newDecoder: newDockerJSONDecoder},
	{format: FormatCRI, sniff: sniffCRI, newDecoder: newCRIDecoder},
	{format: FormatDockerEvents, sniff: sniffDockerEvents, newDecoder: newDockerEventsDecoder},
	{format: FormatTetragon, sniff: sniffTetragon, newDecoder: newTetragonDecoder},
	{format: FormatFalco, sniff: sniffFalco, newDecoder: newFalcoDecoder},
	{format: FormatCloudDefend, sniff: sniffCloudDefend, newDecoder: newCloudDefendDecoder},
	{format: FormatK8sAudit, sniff: sniffK8sAudit, newDecoder: newK8sAuditDecoder},
	{format: FormatSysmon, sniff: sniffSysmon, newDecoder: newSysmonDecoder},
	{format: FormatAccessLog, sniff: sniffAccessLog, newDecoder: newAccessLogDecoder, banner: accessLogBanner, aside: accessLogAside},
	{format: FormatEnvelope, sniff: sniffEnvelope, newDecoder: newEnvelopeDecoder},
}

// sniffLines returns the format that the first lines of an input show: the
// first format whose sniffer accepts a majority of the non-empty lines.
// Other programs' syslog lines (a syslog header, then a message no format
// reads) do not count: a syslog file holds forwarded records among them,
// and an ssh user named "type=SYSCALL msg=audit(…)" is not a record.
func sniffLines(lines [][]byte) Format {
	other := make([]bool, len(lines))
	for i, l := range lines {
		other[i] = otherSyslogLine(bytes.TrimSpace(l))
	}
	for _, f := range formats {
		n, ok := 0, 0
		for i, l := range lines {
			l = bytes.TrimSpace(l)
			if len(l) == 0 || l[0] == '#' || other[i] { // comments in hand-kept fixtures
				continue
			}
			if f.aside != nil && f.aside(l) {
				continue
			}
			n++
			if f.sniff(l) {
				ok++
			}
		}
		if n > 0 && ok*2 > n {
			return f.format
		}
	}
	return bannerFormat(lines, other)
}

// bannerFormat returns the format whose banner opens lines and one of
// whose records is among them, or FormatUnknown.
func bannerFormat(lines [][]byte, other []bool) Format {
	first := -1
	for i, l := range lines {
		l = bytes.TrimSpace(l)
		if len(l) > 0 && l[0] != '#' {
			first = i
			break
		}
	}
	if first < 0 {
		return FormatUnknown
	}
	for _, f := range formats {
		if f.banner == nil || !f.banner(bytes.TrimSpace(lines[first])) {
			continue
		}
		for i, l := range lines[first+1:] {
			if l = bytes.TrimSpace(l); len(l) > 0 && !other[first+1+i] && f.sniff(l) {
				return f.format
			}
		}
	}
	return FormatUnknown
}

// otherSyslogLine reports whether l is a syslog line whose message no
// format reads.
func otherSyslogLine(l []byte) bool {
	if _, _, ok := envelope.CutSyslog(l); !ok {
		return false
	}
	for _, f := range formats {
		if f.sniff(l) {
			return false
		}
	}
	return true
}

func formatDefOf(f Format) *formatDef {
	for i := range formats {
		if formats[i].format == f {
			return &formats[i]
		}
	}
	return nil
}

// sniffAuditd accepts a line with an audit header: "type=X msg=audit(",
// possibly behind "node=" or a syslog prefix, where the header parser
// reads one (auditd.RecordLine). Record text inside other text, such as
// an access line whose user agent an attacker wrote, does not make an
// input an audit log.
func sniffAuditd(line []byte) bool {
	if len(line) > 0 && line[0] == '{' {
		return false
	}
	return auditd.RecordLine(line)
}

// maxSniffNUL bounds the NUL bytes the sniffer passes over looking for
// text: a crash can leave a zero-filled block at the start of a log.
const maxSniffNUL = 16 << 20

// nulDropper passes a stream without its NUL bytes, for the sniffer: a
// block of NULs (what a crash leaves in a log) says nothing about the
// format. It ends the stream once budget NUL bytes were dropped.
type nulDropper struct {
	r       io.Reader
	dropped int64
	budget  int64
}

func (d *nulDropper) Read(p []byte) (int, error) {
	for {
		n, err := d.r.Read(p)
		w := 0
		for _, c := range p[:n] {
			if c != 0 {
				p[w] = c
				w++
			}
		}
		d.dropped += int64(n - w)
		if w > 0 || err != nil {
			return w, err
		}
		if d.dropped > d.budget {
			return 0, io.EOF
		}
	}
}

// isBinary reports whether the head of an input (its NUL bytes dropped) is
// mostly not text: more than one byte in 20 a control character other
// than whitespace. Text logs hold almost none; an executable, an image or
// a database holds many. A NUL run inside a text log does not count: its
// lines are read and reported as malformed.
func isBinary(head []byte) bool {
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' || c == 0x7f {
			ctrl++
		}
	}
	return ctrl*20 > len(head)
}
