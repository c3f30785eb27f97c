package report

import (
	"encoding/hex"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Display of attacker-controlled text: what sanitize does not do alone.
//
// sanitize escapes every byte that is not UTF-8 as \xNN, but the Document
// holds valid UTF-8 (JSON must), so bad bytes reach the writers already
// replaced by U+FFFD: "/tmp/\xff\xfe" and "/tmp/\xed\xa0\x80" (a UTF-16
// surrogate encoded as UTF-8) both read "/tmp/�", and the analyst cannot
// tell which file to look for, nor a planted U+FFFD from bad bytes. Two
// fixes: text with no _hex twin (summaries, reasons, names) marks bad bytes
// as \xNN when it is made (escapeInvalid), and the text and HTML writers
// show a field that has a _hex twin from its bytes (restoreBytes), which
// sanitize then escapes. JSON keeps U+FFFD beside the exact bytes in hex.

// escapeInvalid returns s with each byte that is not part of valid UTF-8
// written as \xNN, the escape sanitize uses; valid text is kept as is.
func escapeInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return writeEscaped(s, func(b *strings.Builder, _ rune, raw string) { b.WriteString(raw) })
}

// restoreBytes sets every string field X of d that has a non-empty twin
// XHex (string or []string) back to the bytes the hex holds, so that the
// text and HTML writers escape the real bytes rather than show U+FFFD. The
// Document must be the writer's own copy: it is no longer valid UTF-8.
func restoreBytes(d *Document) {
	restoreIn(reflect.ValueOf(d).Elem(), 0)
}

func restoreIn(v reflect.Value, depth int) {
	if depth > 64 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			restoreIn(v.Elem(), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.String || v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			restoreIn(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String {
			return
		}
		it := v.MapRange()
		for it.Next() {
			// map values cannot be set in place; documents hold none that
			// carry a _hex twin, so only walk pointers found in them.
			if e := it.Value(); e.Kind() == reflect.Pointer {
				restoreIn(e, depth+1)
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			f := v.Field(i)
			if base, ok := strings.CutSuffix(sf.Name, "Hex"); ok && base != "" {
				if g := v.FieldByName(base); g.IsValid() && g.CanSet() {
					restoreField(g, f)
				}
				continue
			}
			restoreIn(f, depth+1)
		}
	}
}

// restoreField sets dst (string or []string) from hx (hex string or
// []string of hex) when hx is set and decodes.
func restoreField(dst, hx reflect.Value) {
	switch {
	case dst.Kind() == reflect.String && hx.Kind() == reflect.String:
		if b, err := hex.DecodeString(hx.String()); err == nil && hx.Len() > 0 {
			dst.SetString(string(b))
		}
	case dst.Kind() == reflect.Slice && hx.Kind() == reflect.Slice &&
		dst.Type().Elem().Kind() == reflect.String && hx.Type().Elem().Kind() == reflect.String:
		if hx.Len() == 0 || hx.Len() != dst.Len() {
			return
		}
		out := make([]string, hx.Len())
		for i := range out {
			b, err := hex.DecodeString(hx.Index(i).String())
			if err != nil {
				return
			}
			out[i] = string(b)
		}
		dst.Set(reflect.ValueOf(out))
	}
}

// Long tokens. A report line shows a command cut to a width; cut at its
// end, one long word in front (": AAAA…4000…; curl … | sh", a base64 blob
// before "| base64 -d | sh") pushed the part that made the finding out of
// every line but --verbose. A cut keeps both ends now: a word longer than
// maxWord keeps its head and tail, and a line still too long keeps its
// head and its tail.

const (
	maxWord  = 48 // runes a word keeps whole in a shortened line
	wordKeep = 20 // runes kept at each end of a longer word
)

// shortenWords cuts, in r, each run of non-space runes longer than maxWord
// to its first and last wordKeep runes around "…".
func shortenWords(r []rune) []rune {
	out := make([]rune, 0, len(r))
	for i := 0; i < len(r); {
		if unicode.IsSpace(r[i]) {
			out = append(out, r[i])
			i++
			continue
		}
		j := i
		for j < len(r) && !unicode.IsSpace(r[j]) {
			j++
		}
		if j-i > maxWord {
			out = append(out, r[i:i+wordKeep]...)
			out = append(out, '…')
			out = append(out, r[j-wordKeep:j]...)
		} else {
			out = append(out, r[i:j]...)
		}
		i = j
	}
	return out
}

// cutMiddle shortens r to at most n runes, keeping about its first two
// thirds and its last third around "…", cut between words when a space is
// near the cut.
func cutMiddle(r []rune, n int) string {
	if len(r) <= n {
		return string(r)
	}
	if n < 8 {
		return string(r[:n-1]) + "…"
	}
	tail := n / 3
	head := n - 1 - tail
	near := max(1, n/8)
	for i := head; i > head-near && i > 0; i-- {
		if unicode.IsSpace(r[i-1]) {
			head = i
			break
		}
	}
	from := len(r) - tail
	for i := from; i < from+near && i < len(r); i++ {
		if unicode.IsSpace(r[i]) {
			from = i
			break
		}
	}
	return string(r[:head]) + "…" + string(r[from:])
}

// shownArgs is args for text made while the Document is built (the
// summary's sentences): from their bytes when argsHex has them, each bad
// byte written as \xNN.
func shownArgs(args, argsHex []string) []string {
	if len(argsHex) == 0 || len(argsHex) != len(args) {
		return args
	}
	out := make([]string, len(args))
	for i, h := range argsHex {
		b, err := hex.DecodeString(h)
		if err != nil {
			return args
		}
		out[i] = escapeInvalid(string(b))
	}
	return out
}

// shorten is ellipsize for evidence (command lines, URLs, paths, values):
// to at most n runes, but a long word keeps its head and tail first, and
// a line still too long keeps its head and its tail, so that no word put
// in front of the rest pushes it out of the line.
func shorten(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	return cutMiddle(shortenWords([]rune(s)), n)
}

// safeWord reports an argument shown without quotes: only ASCII letters,
// digits and @%+=:,./_- (Python's shlex.quote set). Anything else is
// quoted, so that an argument cannot pass for the report's own marks:
// argv ["sleep", "◀", "F0001"] drew a finding's arrow on an innocent
// process in the tree; it reads sleep '◀' F0001 now.
func safeWord(a string) bool {
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("@%+=:,./_-", c) >= 0) {
			return false
		}
	}
	return true
}
