package auditd

import (
	"strings"
	"testing"
)

// refScanFields is scanFields as it was: unquoted values walked a byte at
// a time to their end.
func refScanFields(s string, fn func(f field) bool) {
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			return
		}
		k := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' {
			i++
		}
		if i >= len(s) || s[i] == ' ' {
			continue
		}
		key := s[k:i]
		i++
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				fn(field{Key: key, Value: s[i+1:], Quote: q})
				return
			}
			if !fn(field{Key: key, Value: s[i+1 : i+1+j], Quote: q}) {
				return
			}
			i += j + 2
			continue
		}
		v := i
		for i < len(s) && s[i] != ' ' {
			i++
		}
		if !fn(field{Key: key, Value: s[v:i]}) {
			return
		}
	}
}

// hotLines are the bodies of a busy server's usual records, with a hex
// PROCTITLE as most execs under a shell have.
var hotLines = append(append([]string(nil), benchLines...),
	`type=PROCTITLE msg=audit(1795641375.954:2996): proctitle=2F62696E2F7368002D63006375726C202D73202D6D2035206874747073'3A2F2F6D6F6E69746F722E6578616D706C652E636F6D2F6865616C74683F686F73743D77656230312026262065636F206F6B`,
	`type=CWD msg=audit(1795641375.954:2996): cwd="/var/www/html"`)

// BenchmarkHotPath compares the field scan and the hex check with the
// versions they replaced, in one binary (the machine is shared: runs of
// two binaries drift apart with the load).
func BenchmarkHotPath(b *testing.B) {
	lp := newLineParser()
	var bodies []string
	for _, l := range hotLines {
		h, _ := lp.parse([]byte(l))
		bodies = append(bodies, l[h.Body:h.Enriched])
	}
	n := 0
	count := func(f field) bool { n += len(f.Value); return true }
	b.Run("scan=old", func(b *testing.B) {
		for b.Loop() {
			for _, s := range bodies {
				refScanFields(s, count)
			}
		}
	})
	b.Run("scan=new", func(b *testing.B) {
		for b.Loop() {
			for _, s := range bodies {
				scanFields(s, count)
			}
		}
	})
	hex := strings.Repeat("2F62696E2F7368002D63", 20)
	b.Run("hex=old", func(b *testing.B) {
		for b.Loop() {
			refDecodeHex(hex)
		}
	})
	b.Run("hex=new", func(b *testing.B) {
		for b.Loop() {
			decodeHex(hex)
		}
	})
}
