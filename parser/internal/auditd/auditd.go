package auditd

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/auditchain/auditchain/parser/internal/syslog"
	"github.com/elastic/go-libaudit/v2/auparse"
)

// An auditd line, in every shape we accept:
//
//	type=SYSCALL msg=audit(1795637716.966:12391): arch=… key=(null)\x1dARCH=x86_64 …
//	node=web1 type=SYSCALL msg=audit(…): …
//	Nov 25 20:15:22 web1 audispd: node=web1 type=SYSCALL msg=audit(…): …
//	2026-11-25T20:15:22.123+00:00 web1 audisp-syslog: type=SYSCALL msg=audit(…): …
//	Nov 25 20:15:22 web1 kernel: audit: type=1300 audit(…): …
//
// The header is parsed here on the raw bytes; fields are left for scanFields.

// header is what one auditd line says about itself.
type header struct {
	Node     string // node= name, else the syslog host, else ""
	Type     string // record type name: SYSCALL, EXECVE, UNKNOWN[1329] …
	TypeNum  uint16
	Sec      int64
	Msec     int32
	Serial   uint64
	Start    int // offset of "type=" (the record proper) in the line
	Body     int // offset of the first field after "): "
	Enriched int // offset of the \x1d separator, or len(line)
}

// lineParser parses auditd headers. It caches record type and node names so
// that the hot loop does not allocate a string per line.
type lineParser struct {
	types map[string]recType
	nodes map[string]string
}

func newLineParser() *lineParser {
	return &lineParser{types: make(map[string]recType), nodes: make(map[string]string)}
}

var (
	tokType  = []byte("type=")
	tokNode  = []byte("node=")
	tokAudit = []byte("audit(")
)

// parse reads the header of one line (without its newline).
func (p *lineParser) parse(line []byte) (header, error) {
	var h header
	rest := line
	off := 0
	if !bytes.HasPrefix(rest, tokType) && !bytes.HasPrefix(rest, tokNode) {
		// A syslog-forwarded record: find where the audit record begins.
		i := indexToken(rest, tokNode)
		if j := indexToken(rest, tokType); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			return h, fmt.Errorf("%w: no type= field", ErrHeader)
		}
		if !forwardedPrefixOK(rest[:i]) {
			return h, fmt.Errorf("%w: record text inside another program's syslog message, not read as a record", ErrHeader)
		}
		h.Node = p.node(syslog.Host(rest[:i]))
		off = i
		rest = rest[i:]
	}
	if bytes.HasPrefix(rest, tokNode) {
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			return h, fmt.Errorf("%w: node= without a record", ErrHeader)
		}
		h.Node = p.node(rest[len(tokNode):sp])
		off += sp + 1
		rest = rest[sp+1:]
	}
	if !bytes.HasPrefix(rest, tokType) {
		return h, fmt.Errorf("%w: want type=", ErrHeader)
	}
	h.Start = off
	sp := bytes.IndexByte(rest, ' ')
	if sp < 0 {
		return h, fmt.Errorf("%w: type= without msg=audit(…)", ErrHeader)
	}
	name := rest[len(tokType):sp]
	typ, tname, err := p.recordType(name)
	if err != nil {
		return h, err
	}
	h.Type, h.TypeNum = tname, typ
	off += sp + 1
	rest = rest[sp+1:]
	if bytes.HasPrefix(rest, []byte("msg=")) {
		off += 4
		rest = rest[4:]
	}
	if !bytes.HasPrefix(rest, tokAudit) {
		return h, fmt.Errorf("%w: want msg=audit(SEC.MS:SERIAL)", ErrHeader)
	}
	off += len(tokAudit)
	rest = rest[len(tokAudit):]
	// SEC.MS:SERIAL):
	n := 0
	sec, n := digits(rest)
	if n == 0 || n > 12 || n >= len(rest) || rest[n] != '.' {
		return h, fmt.Errorf("%w: bad timestamp", ErrHeader)
	}
	if sec > maxSec {
		// Not a time the kernel writes; past 9999 it stopped the JSON
		// report as a whole. The order pass (LineTime) skips it too.
		return h, fmt.Errorf("%w: bad timestamp: %d seconds is past the year 2242", ErrHeader, sec)
	}
	rest = rest[n+1:]
	off += n + 1
	ms, n := digits(rest)
	if n == 0 || n > 9 || n >= len(rest) || rest[n] != ':' {
		return h, fmt.Errorf("%w: bad timestamp", ErrHeader)
	}
	// The kernel writes exactly three digits of milliseconds; scale others.
	for d := n; d < 3; d++ {
		ms *= 10
	}
	for d := n; d > 3; d-- {
		ms /= 10
	}
	rest = rest[n+1:]
	off += n + 1
	serial, n := digits(rest)
	if n == 0 || n > 10 || n >= len(rest) || rest[n] != ')' {
		return h, fmt.Errorf("%w: bad serial", ErrHeader)
	}
	rest = rest[n+1:]
	off += n + 1
	if len(rest) > 0 && rest[0] == ':' {
		rest = rest[1:]
		off++
	}
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
		off++
	}
	h.Sec, h.Msec, h.Serial = int64(sec), int32(ms), serial
	h.Body = off
	h.Enriched = len(line)
	// The last separator: auditd writes one, after the record, but a
	// user-space message is copied unescaped and may hold one of its own
	// (a forged "\x1dAUID=\"root\"" in `auditctl -m` text, usermsg.go).
	// bytes.LastIndexByte is a byte loop; IndexByte a vector scan, and
	// half the records (PATH, CWD, PROCTITLE…) have no separator at all.
	if i := bytes.IndexByte(rest, 0x1d); i >= 0 {
		if j := bytes.LastIndexByte(rest[i+1:], 0x1d); j >= 0 {
			i += 1 + j
		}
		h.Enriched = off + i
	}
	return h, nil
}

// indexToken finds tok at the start of a word (after a space).
func indexToken(b, tok []byte) int {
	from := 0
	for {
		i := bytes.Index(b[from:], tok)
		if i < 0 {
			return -1
		}
		i += from
		if i == 0 || b[i-1] == ' ' {
			return i
		}
		from = i + 1
	}
}

func (p *lineParser) node(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := p.nodes[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.nodes) < 4096 {
		p.nodes[s] = s
	}
	return s
}

type recType struct {
	num  uint16
	name string
}

// recordType maps a record type name (or a number, as "kernel: audit:" lines
// give it) to its number with go-libaudit's table, and to its canonical name.
func (p *lineParser) recordType(b []byte) (uint16, string, error) {
	if t, ok := p.types[string(b)]; ok {
		return t.num, t.name, nil
	}
	var typ auparse.AuditMessageType
	name := string(b)
	if v, err := strconv.ParseUint(name, 10, 16); err == nil {
		typ = auparse.AuditMessageType(v)
		name = typ.String()
	} else {
		t, err := auparse.GetAuditMessageType(name)
		if err != nil && !isTypeName(b) {
			return 0, "", fmt.Errorf("%w: bad record type %q", ErrHeader, b)
		}
		typ = t // 0 for a well-formed name newer than go-libaudit's table
	}
	if len(p.types) < 4096 { // junk must not grow the cache without bound
		p.types[string(b)] = recType{uint16(typ), name}
	}
	return uint16(typ), name, nil
}

// isTypeName reports whether b looks like a record type name (UPPER_CASE).
func isTypeName(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// digits parses a run of decimal digits at the start of b.
func digits(b []byte) (uint64, int) {
	var v uint64
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + uint64(b[i]-'0')
		i++
	}
	return v, i
}

// standalone reports whether a record type is an event of its own: user-space
// messages (1100–1299, 2100–2999) never share a serial with kernel records.
func standalone(t uint16) bool {
	return (t >= 1100 && t <= 1299) || (t >= 2100 && t <= 2999)
}

// Record type numbers used by the normalizer.
const (
	typeSyscall   = 1300
	typePath      = 1302
	typeSockaddr  = 1306
	typeCwd       = 1307
	typeExecve    = 1309
	typeEOE       = 1320
	typeProctitle = 1327
	typeConfig    = 1305
	typeDaemonEnd = 1202
	typeLogin     = 1006
)

// maxSec bounds an audit header's seconds: past the year 2242 is not a
// time auditd writes.
const maxSec = 1 << 33

// LineTime reads the node and time of an auditd line, cheaply: the first
// pass looks at nothing else. The header sits in the first bytes of a line
// (after a syslog prefix at most); node is "" for lines without node=.
func LineTime(line []byte) (node string, t int64, ok bool) {
	head := line[:min(len(line), 512)]
	i := bytes.Index(head, tokAudit)
	if i < 0 {
		return "", 0, false
	}
	var sec, msec int64
	j := i + len(tokAudit)
	d := 0
	for ; j < len(head) && head[j] >= '0' && head[j] <= '9' && d < 18; j, d = j+1, d+1 {
		sec = sec*10 + int64(head[j]-'0')
	}
	if d == 0 || j >= len(head) || head[j] != '.' {
		return "", 0, false
	}
	j++
	for d = 0; j < len(head) && head[j] >= '0' && head[j] <= '9' && d < 3; j, d = j+1, d+1 {
		msec = msec*10 + int64(head[j]-'0')
	}
	for ; d < 3; d++ {
		msec *= 10
	}
	if sec > maxSec {
		return "", 0, false
	}
	if bytes.HasPrefix(line, tokNode) {
		if sp := bytes.IndexByte(head, ' '); sp > len(tokNode) {
			node = string(head[len(tokNode):sp]) // the tracker's map lookup does not keep it
		}
	}
	return node, sec*1e9 + msec*1e6, true
}
