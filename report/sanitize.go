package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sanitize makes attacker-controlled text (argv, paths, URLs, raw records)
// safe for a terminal and for tablewriter: every control character (C0, DEL,
// C1), every invisible format character (bidi overrides such as U+202E that
// reorder what the analyst reads, zero-width characters) and every byte that
// is not valid UTF-8 is replaced by a visible escape (\t, \n, \r, \x1b,
// \u202e, \xff). Nothing that a terminal interprets can pass, and tabs
// and newlines cannot break a table cell or fake a report line.
//
// It is the only escaping function of the text writer; printable text,
// including non-ASCII letters, is kept as is. The JSON report stays the
// lossless record (args_hex and friends), so the escape need not be
// reversible.
func sanitize(s string) string {
	if isClean(s) {
		return s
	}
	return writeEscaped(s, func(b *strings.Builder, r rune, _ string) {
		switch {
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case isInvisible(r):
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", max(0, 4-len(h))) + h)
		default:
			b.WriteRune(r)
		}
	})
}

// writeEscaped returns s with each byte that is not part of valid UTF-8
// written as \xNN and each valid rune (r, its bytes raw) written by keep:
// the one loop of sanitize and escapeInvalid.
func writeEscaped(s string, keep func(b *strings.Builder, r rune, raw string)) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
			i++
			continue
		}
		keep(&b, r, s[i:i+size])
		i += size
	}
	return b.String()
}

// Sanitize is sanitize for the command's own messages (a name in an error
// on stderr): the one escaping function of the tool.
func Sanitize(s string) string { return sanitize(s) }

// SanitizeLines sanitizes text of several lines, such as messages for a
// terminal: each line as by sanitize, the newlines between them kept.
func SanitizeLines(s string) string {
	if isClean(strings.ReplaceAll(s, "\n", "")) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	return strings.Join(lines, "\n")
}

// isClean is the fast path: most argv is plain ASCII.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isInvisible reports format characters (Cf: bidi controls, zero-width
// joiners, BOM) and the Unicode line and paragraph separators.
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// ellipsize shortens s to at most n runes, marking the cut with "…". It is
// applied after sanitize, so it never cuts an escape's meaning into a
// control character. It is for the tool's own prose; evidence (commands,
// URLs, paths) is shortened by shorten, which keeps both ends.
func ellipsize(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
