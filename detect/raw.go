package detect

import (
	"encoding/hex"
	"strings"
)

// rawField is one key=value of a raw audit record, its value decoded the
// way SigmaHQ's auditd rules expect (hex-encoded strings in clear text).
type rawField struct {
	key, value string
	decoded    bool // value was hex-encoded in the record
}

// appendRecordTypes appends the type= of every line of raw.
func appendRecordTypes(out []string, raw string) []string {
	for raw != "" {
		var line string
		line, raw, _ = strings.Cut(raw, "\n")
		i := strings.Index(line, "type=")
		if i < 0 {
			continue
		}
		t := line[i+5:]
		if j := strings.IndexByte(t, ' '); j >= 0 {
			t = t[:j]
		}
		out = append(out, t)
	}
	return out
}

// hexStringFields are the audit fields that auditd hex-encodes when their
// value holds a space, quote or control character; unquoted, they are hex.
var hexStringFields = map[string]bool{
	"name": true, "exe": true, "comm": true, "cwd": true, "proctitle": true, "cmd": true,
	"acct": true, "data": true, "key": true, "path": true, "old": true, "new": true, "ocomm": true,
}

// scanRaw appends the fields of every record in raw (both the raw part and
// the ENRICHED part after \x1d, whose upper-case names are the host's own
// interpretations: UID="www-data", SYSCALL=execve).
func scanRaw(out []rawField, raw string) []rawField {
	for raw != "" {
		var line string
		line, raw, _ = strings.Cut(raw, "\n")
		rtype := ""
		if i := strings.Index(line, "type="); i >= 0 {
			rtype = line[i+5:]
			if j := strings.IndexByte(rtype, ' '); j >= 0 {
				rtype = rtype[:j]
			}
		}
		line = strings.ReplaceAll(line, "\x1d", " ")
		out = scanFieldsInto(out, line, rtype, 0)
	}
	return out
}

func scanFieldsInto(out []rawField, s, rtype string, depth int) []rawField {
	for s != "" {
		s = strings.TrimLeft(s, " ")
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			break
		}
		key := s[:eq]
		if sp := strings.IndexByte(key, ' '); sp >= 0 { // a bare word: skip it
			s = s[sp+1:]
			continue
		}
		s = s[eq+1:]
		var val string
		quoted := false
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			q := s[0]
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				val, s = s[1:], ""
			} else {
				val, s = s[1:1+end], s[2+end:]
			}
			quoted = true
		} else {
			end := strings.IndexByte(s, ' ')
			if end < 0 {
				val, s = s, ""
			} else {
				val, s = s[:end], s[end:]
			}
		}
		if key == "msg" && quoted && depth == 0 { // user-space records nest their fields
			out = scanFieldsInto(out, val, rtype, 1)
			continue
		}
		decoded := false
		if !quoted && wantsHex(rtype, key) {
			if b, err := hex.DecodeString(val); err == nil && len(val) > 0 {
				decoded = true
				v := strings.ReplaceAll(string(b), "\x00", " ")
				if key == "key" {
					v = strings.ReplaceAll(v, "\x01", ",")
				}
				val = v
			}
		}
		if i := strings.IndexByte(key, '['); i > 0 { // a1[0]=… of a long argument
			key = key[:i]
		}
		out = append(out, rawField{key, val, decoded})
	}
	return out
}

func wantsHex(rtype, key string) bool {
	if hexStringFields[key] {
		return true
	}
	if rtype == "EXECVE" && len(key) > 1 && key[0] == 'a' && key[1] >= '0' && key[1] <= '9' {
		return !strings.Contains(key, "_len")
	}
	return false
}
