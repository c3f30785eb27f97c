package auditd

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
	"unsafe"
)

// The hot path of auditd parsing. go-libaudit's AuditMessage.Data() runs a
// regular expression over every record and builds a map (~11 µs a line);
// scanFields walks the record once and hands each key=value to the caller
// without allocating. FuzzFieldsDifferential proves the two agree.

// field is one key=value pair of a record body.
type field struct {
	Key   string
	Value string // without its quotes
	Quote byte   // '"', '\'' or 0 for an unquoted value
}

// scanFields calls fn for each key=value pair in s, in order. A value is a
// "quoted" or 'quoted' string or a run of non-space bytes. Words without '='
// (the "avc:  denied  { read } for" prose of some records) are skipped.
// Returning false from fn stops the scan.
func scanFields(s string, fn func(f field) bool) {
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			return
		}
		// key: up to '=' or space
		k := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' {
			i++
		}
		if i >= len(s) || s[i] == ' ' {
			continue // a bare word
		}
		key := s[k:i]
		i++ // '='
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 { // unterminated: take the rest
				if !fn(field{Key: key, Value: s[i+1:], Quote: q}) {
					return
				}
				return
			}
			if !fn(field{Key: key, Value: s[i+1 : i+1+j], Quote: q}) {
				return
			}
			i += j + 2
			continue
		}
		v := i
		// most values are a few bytes; a hex PROCTITLE or argument runs
		// to hundreds, which a vector scan crosses at once
		short := min(len(s), i+16)
		for i < short && s[i] != ' ' {
			i++
		}
		if i == short && i < len(s) {
			if j := strings.IndexByte(s[i:], ' '); j >= 0 {
				i += j
			} else {
				i = len(s)
			}
		}
		if !fn(field{Key: key, Value: s[v:i]}) {
			return
		}
	}
}

// absent reports whether auditd means "no value" by v.
func absent(v string) bool {
	return v == "" || v == "?" || v == "(null)" || v == "(none)"
}

// decodeString returns an audit string value: quoted values as they are,
// unquoted values hex-decoded (auditd hex-encodes strings that contain
// spaces, quotes, control or non-ASCII bytes). An unquoted value that is not
// valid hex is returned as is and ok is false.
func decodeString(f field) (s string, ok bool) {
	if f.Quote != 0 || absent(f.Value) {
		return f.Value, true
	}
	b, err := decodeHex(f.Value)
	if err != nil {
		return f.Value, false
	}
	if len(b) == 0 {
		return "", true
	}
	// b is new and goes nowhere else: the string takes it over rather
	// than copying it (one allocation fewer for most hex values).
	return unsafe.String(&b[0], len(b)), true
}

// validString reports whether decodeString(f) succeeds, without decoding.
func validString(f field) bool {
	if f.Quote != 0 || absent(f.Value) {
		return true
	}
	if len(f.Value)%2 != 0 {
		return false
	}
	// every PROCTITLE is checked: one table lookup a byte, the bits of
	// all of them or'ed, one test at the end
	var bad byte
	for i := 0; i < len(f.Value); i++ {
		bad |= hexTable[f.Value[i]]
	}
	return bad&hexBad == 0
}

// decodeHex decodes upper- or lower-case hex; odd lengths are an error.
func decodeHex(s string) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, ErrField
	}
	out := make([]byte, len(s)/2)
	var bad byte
	for i := 0; i < len(out); i++ {
		hi, lo := hexTable[s[2*i]], hexTable[s[2*i+1]]
		bad |= hi | lo
		out[i] = hi<<4 | lo&0xf
	}
	if bad&hexBad != 0 {
		return nil, ErrField
	}
	return out, nil
}

// hexTable maps a hex digit to its value and every other byte to hexBad.
var hexTable = func() (t [256]byte) {
	for c := range t {
		if v, ok := fromHex(byte(c)); ok {
			t[c] = v
		} else {
			t[c] = hexBad
		}
	}
	return t
}()

const hexBad = 0x10

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// splitNUL splits a NUL-separated argv (PROCTITLE) dropping one trailing NUL.
func splitNUL(s string) []string {
	s = strings.TrimSuffix(s, "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

// parseID reads a uid/gid/auid/ses value; "-1", "4294967295" and "unset"
// are unset.
func parseID(v string) (ID, bool) {
	if v == "-1" || v == "unset" {
		return ID{}, true
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return ID{}, false
	}
	return NewID(uint32(n)), true
}

// atoi is strconv.Atoi for the small decimal numbers of audit records
// without its error allocation.
func atoi(s string) (int, bool) {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg = true
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseSockaddr decodes the hex struct sockaddr of a SOCKADDR record. The
// family is little-endian (as the kernel stores it), the port big-endian.
func parseSockaddr(h string) (Addr, error) {
	b, err := decodeHex(h)
	if err != nil || len(b) < 2 {
		return Addr{}, ErrField
	}
	fam := binary.LittleEndian.Uint16(b)
	switch fam {
	case 2: // AF_INET
		if len(b) < 8 {
			return Addr{}, ErrField
		}
		ip := netip.AddrFrom4([4]byte(b[4:8]))
		return Addr{Family: "inet", IP: ip.String(), Port: int(binary.BigEndian.Uint16(b[2:4]))}, nil
	case 10: // AF_INET6
		if len(b) < 24 {
			return Addr{}, ErrField
		}
		ip := netip.AddrFrom16([16]byte(b[8:24])).Unmap()
		fam := "inet6"
		if ip.Is4() { // a v4-mapped peer of a dual-stack socket: the same host as its inet form
			fam = "inet"
		}
		return Addr{Family: fam, IP: ip.String(), Port: int(binary.BigEndian.Uint16(b[2:4]))}, nil
	case 1: // AF_UNIX; an abstract socket starts with NUL, shown as '@'
		p := b[2:]
		if len(p) > 0 && p[0] == 0 {
			return Addr{Family: "unix", Path: "@" + strings.TrimRight(string(p[1:]), "\x00")}, nil
		}
		if i := indexByte(p, 0); i >= 0 {
			p = p[:i]
		}
		return Addr{Family: "unix", Path: string(p)}, nil
	case 16:
		return Addr{Family: "netlink"}, nil
	}
	return Addr{Family: "af" + strconv.Itoa(int(fam))}, nil
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
