package detect

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A shell reads a word before it runs it: quotes are removed ('c''at',
// "c"at and c\at are all cat), parameters are expanded (a=ca;b=t;$a$b is
// cat; $@ and $* are empty in a `sh -c` string given no arguments), a
// command substitution of printf runs printf ($(printf '\x63\x61\x74') is
// cat), and an unquoted pattern is replaced by the files it matches
// (/???/c?t /e??/sh?dow is /bin/cat /etc/shadow); $'\x63at' is cat in bash,
// $0 is the shell's name and a lower-case variable never assigned is
// empty (c${u}at). Attackers use each to
// keep the words a rule looks for out of the command as written; rules
// matched the command as written and missed them all. readWords applies
// these rules of the shell to a command string, once, left to right, and
// returns what the shell would run. It is bounded: at most readMaxVars
// variables and readMaxOut bytes of output, in one pass over the input
// (eval's argument is read once more), so a hostile command cannot make it
// costly. It guesses nothing: an upper-case parameter it has not seen
// assigned (the environment's: $HOME, $SHELL), a command substitution other
// than printf/echo of a literal, and a pattern that matches none of
// globPaths stay as written.
//
// The decoders of a pipeline are the shell's too: `echo LIT | rev | sh`,
// `| xxd -r -p`, `| base32 -d` run LIT through the decoder before the
// shell reads it; decodePipes returns what the last shell is fed.

const (
	readMaxVars = 64
	readMaxOut  = 16 << 10
	readMaxIn   = 64 << 10
)

// globPaths are the files a pattern is matched against: the programs and
// files the rules name, where a Linux system keeps them. The log does not
// list the host's files; a pattern matching one of these is read as that
// file, as the shell would on any such host.
var globPaths = []string{
	"/etc/shadow", "/etc/gshadow", "/etc/passwd", "/etc/group", "/etc/sudoers", "/etc/crontab",
	"/etc/hosts", "/etc/issue", "/etc/os-release", "/etc/ssh/sshd_config", "/proc/self/environ",
	"/root/.ssh/authorized_keys", "/root/.bash_history", "/var/log/auth.log", "/var/log/audit/audit.log",
	"/bin/sh", "/bin/bash", "/bin/dash", "/bin/cat", "/bin/nc", "/bin/netcat", "/bin/busybox",
	"/usr/bin/sh", "/usr/bin/bash", "/usr/bin/cat", "/usr/bin/curl", "/usr/bin/wget", "/usr/bin/nc",
	"/usr/bin/ncat", "/usr/bin/socat", "/usr/bin/python3", "/usr/bin/perl", "/usr/bin/php",
	"/usr/bin/base64", "/usr/bin/xxd", "/usr/bin/id", "/usr/bin/whoami", "/usr/bin/uname",
	"/usr/bin/chmod", "/usr/bin/crontab", "/usr/bin/ssh", "/usr/bin/scp", "/usr/bin/openssl",
}

// readWords returns cmd as the shell reads it, and whether that differs
// from cmd.
func readWords(cmd string) (string, bool) {
	if len(cmd) > readMaxIn || !strings.ContainsAny(cmd, "'\"\\$`?*[") {
		return cmd, false
	}
	r := &wordReader{vars: map[string]string{}}
	out := r.read(cmd)
	if strings.HasPrefix(strings.TrimSpace(out), "eval ") || strings.Contains(out, ";eval ") || strings.Contains(out, "; eval ") {
		// eval reads its argument again: once more
		r2 := &wordReader{vars: r.vars}
		out = r2.read(out)
	}
	out = strings.TrimSpace(out)
	return out, out != strings.TrimSpace(cmd) && out != ""
}

type wordReader struct {
	b    strings.Builder
	vars map[string]string
	// word collects the current word's text and whether a part of it was
	// unquoted pattern text, for globbing at its end.
	word    strings.Builder
	pattern bool
	quoted  bool
	start   bool // the word is in command position (an assignment may start it)
	// the simple command's first word and how many words it has had: a
	// name that for, select or read sets at run time is not unset
	cmd string
	nth int
}

// runtimeValue marks, in vars, a variable the shell sets as it runs (for
// NAME in, read NAME): its value is not known, so it stays as written.
const runtimeValue = "\x00"

func (r *wordReader) full() bool { return r.b.Len()+r.word.Len() > readMaxOut }

// read reads s, one word at a time.
func (r *wordReader) read(s string) string {
	r.start = true
	for i := 0; i < len(s) && !r.full(); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			r.endWord()
			r.b.WriteByte(c)
			i++
		case c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '<' || c == '>':
			r.endWord()
			r.b.WriteByte(c)
			if c != '<' && c != '>' {
				r.start, r.cmd, r.nth = true, "", 0
			}
			i++
		case c == '\\':
			if i+1 < len(s) {
				if s[i+1] != '\n' {
					r.word.WriteByte(s[i+1])
				}
				r.quoted = true
				i += 2
			} else {
				r.word.WriteByte(c)
				i++
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				r.word.WriteString(s[i:])
				i = len(s)
				break
			}
			r.word.WriteString(s[i+1 : i+1+j])
			r.quoted = true
			i += j + 2
		case c == '"':
			i = r.double(s, i+1)
			r.quoted = true
		case c == '$' || c == '`':
			i = r.dollar(s, i, false)
		case c == '*' || c == '?' || c == '[':
			r.pattern = true
			r.word.WriteByte(c)
			i++
		case c == '=' && r.start && !r.quoted && isName(r.word.String()):
			// an assignment: name=value, value read as a word
			name := r.word.String()
			r.word.Reset()
			j := r.readValue(s, i+1)
			if len(r.vars) < readMaxVars {
				r.vars[name] = r.word.String()
			}
			r.b.WriteString(name + "=" + r.word.String())
			r.word.Reset()
			r.pattern, r.quoted = false, false
			i = j
		default:
			r.word.WriteByte(c)
			i++
		}
	}
	r.endWord()
	return r.b.String()
}

// readValue reads an assignment's value, from i to the next blank or
// operator, into r.word; it returns where it stopped.
func (r *wordReader) readValue(s string, i int) int {
	for i < len(s) && !r.full() {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '<' || c == '>':
			return i
		case c == '\\' && i+1 < len(s):
			r.word.WriteByte(s[i+1])
			i += 2
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				r.word.WriteString(s[i+1:])
				return len(s)
			}
			r.word.WriteString(s[i+1 : i+1+j])
			i += j + 2
		case c == '"':
			i = r.double(s, i+1)
		case c == '$' || c == '`':
			i = r.dollar(s, i, true)
		default:
			r.word.WriteByte(c)
			i++
		}
	}
	return i
}

// double reads a double-quoted string from i (after the quote) into the
// word and returns the index after its closing quote.
func (r *wordReader) double(s string, i int) int {
	for i < len(s) && !r.full() {
		c := s[i]
		switch {
		case c == '"':
			return i + 1
		case c == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0:
			if s[i+1] != '\n' {
				r.word.WriteByte(s[i+1])
			}
			i += 2
		case c == '$' || c == '`':
			i = r.dollar(s, i, true)
		default:
			r.word.WriteByte(c)
			i++
		}
	}
	return i
}

// dollar reads a parameter or a command substitution at s[i] ('$' or
// '`') into the word and returns the index after it.
func (r *wordReader) dollar(s string, i int, inQuotes bool) int {
	if s[i] == '`' {
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			r.word.WriteString(s[i:])
			return len(s)
		}
		r.substitute(s[i:i+j+2], s[i+1:i+1+j])
		return i + j + 2
	}
	if i+1 >= len(s) {
		r.word.WriteByte('$')
		return i + 1
	}
	c := s[i+1]
	switch {
	case c == '@' || c == '*':
		return i + 2 // no arguments: empty
	case c == '0':
		r.word.WriteString("sh") // the shell's name, in a -c string given no arguments
		return i + 2
	case c >= '1' && c <= '9':
		return i + 2 // $1…$9: no arguments given to the string
	case c == '\'' && !inQuotes:
		// $'…': bash's and ksh's quotes with printf's escapes
		j := i + 2
		for j < len(s) && s[j] != '\'' {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			r.word.WriteString(s[i:])
			return len(s)
		}
		if v, ok := unescapePrintf(strings.ReplaceAll(s[i+2:j], `\'`, "'")); ok {
			r.word.WriteString(v)
		} else {
			r.word.WriteString(s[i : j+1])
		}
		r.quoted = true
		return j + 1
	case c == '(':
		if i+2 < len(s) && s[i+2] == '(' {
			r.word.WriteByte('$') // arithmetic: as written
			return i + 1
		}
		j := matchParen(s, i+1)
		if j < 0 {
			r.word.WriteString(s[i:])
			return len(s)
		}
		r.substitute(s[i:j+1], s[i+2:j])
		return j + 1
	case c == '{':
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			r.word.WriteString(s[i:])
			return len(s)
		}
		inner := s[i+2 : i+2+j]
		name := inner
		if k := strings.IndexAny(inner, ":%#/-+=?"); k > 0 {
			name = inner[:k]
		}
		if absPathVar[name] && inner[len(name):] == ":0:1" {
			// ${HOME:0:1}: these hold absolute paths, so it is "/"
			r.word.WriteByte('/')
			return i + 3 + j
		}
		r.expand(name, s[i:i+3+j], inQuotes)
		return i + 3 + j
	case isNameByte(c, true):
		j := i + 1
		for j < len(s) && isNameByte(s[j], j > i+1) {
			j++
		}
		r.expand(s[i+1:j], s[i:j], inQuotes)
		return j
	}
	r.word.WriteByte('$')
	return i + 1
}

// absPathVar are the environment variables that hold an absolute path (or
// a list of them) wherever a shell runs.
var absPathVar = map[string]bool{"PATH": true, "HOME": true, "PWD": true, "SHELL": true, "OLDPWD": true}

// expand writes the value of parameter name, or written when it is not
// known. IFS is a blank.
func (r *wordReader) expand(name, written string, inQuotes bool) {
	if name == "IFS" {
		if inQuotes {
			r.word.WriteByte(' ')
		} else {
			r.endWord()
			r.b.WriteByte(' ')
		}
		return
	}
	if name == "@" || name == "*" {
		return
	}
	if v, ok := r.vars[name]; ok {
		if v == runtimeValue {
			v = written
		}
		r.word.WriteString(v)
		return
	}
	if !isName(name) {
		r.word.WriteString(written) // ${#x}, ${!x}: as written
		return
	}
	if def, ok := strings.CutPrefix(strings.TrimPrefix(written, "${"+name), ":-"); ok && strings.HasSuffix(def, "}") && strings.ToUpper(name) != name {
		r.word.WriteString(strings.TrimSuffix(def, "}")) // unset: the default
		return
	}
	if strings.ToUpper(name) != name {
		// never assigned in the string, and not an environment
		// variable's name (those are upper case by convention; POSIX
		// leaves lower case to applications): unset, so empty
		return
	}
	r.word.WriteString(written)
}

// substitute writes what a command substitution prints when it is printf
// or echo of literals, else it as written.
func (r *wordReader) substitute(written, inner string) {
	if out, ok := printLiteral(inner, r.vars); ok {
		r.word.WriteString(out)
		return
	}
	if out, ok := decodePipes(inner); ok {
		r.word.WriteString(out) // $(echo c2hhZG93 | base64 -d)
		return
	}
	r.word.WriteString(written)
}

// endWord ends the current word: an unquoted pattern matching files in
// globPaths becomes their names, as the shell's pathname expansion does.
func (r *wordReader) endWord() {
	w := r.word.String()
	if r.pattern && strings.HasPrefix(w, "/") {
		var names []string
		for _, p := range globPaths {
			if ok, err := path.Match(w, p); err == nil && ok {
				names = append(names, p)
			}
		}
		if len(names) > 0 {
			w = strings.Join(names, " ")
		}
	}
	r.b.WriteString(w)
	if w != "" {
		r.start = false
		switch {
		case r.nth == 0 && shellKeyword(w):
			// while read x; if …; do …: the command is the next word
		case r.nth == 0:
			r.cmd, r.nth = w, 1
		default:
			if (r.cmd == "for" || r.cmd == "select") && r.nth == 1 || r.cmd == "read" && !strings.HasPrefix(w, "-") {
				if isName(w) && len(r.vars) < readMaxVars {
					r.vars[w] = runtimeValue
				}
			}
			r.nth++
		}
	}
	r.word.Reset()
	r.pattern, r.quoted = false, false
}

// printLiteral runs `printf FMT` / `echo -e TEXT` / `echo TEXT` whose
// arguments are literals (read as words), returning the output.
func printLiteral(cmd string, vars map[string]string) (string, bool) {
	cmd = strings.TrimSpace(cmd)
	// no substitution inside: printLiteral is reached from one, so this
	// keeps the nesting to one level
	if len(cmd) > 4096 || unquotedAny(cmd, "|;&<>") || strings.ContainsRune(cmd, '`') || strings.Contains(cmd, "$(") {
		return "", false
	}
	sub := &wordReader{vars: vars}
	words := strings.Fields(sub.readArgv(cmd))
	if len(words) < 2 {
		return "", false
	}
	for i, w := range words {
		words[i] = strings.ReplaceAll(w, "\x00", " ")
	}
	switch words[0] {
	case "printf":
		if len(words) != 2 {
			return "", false
		}
		return unescapePrintf(words[1])
	case "echo":
		args := words[1:]
		esc := false
		if args[0] == "-e" || args[0] == "-ne" || args[0] == "-en" {
			esc, args = true, args[1:]
		} else if args[0] == "-n" {
			args = args[1:]
		}
		s := strings.Join(args, " ")
		if esc {
			return unescapePrintf(s)
		}
		return s, true
	}
	return "", false
}

// readArgv reads a simple command's words, keeping each word whole with
// its blanks written as NUL (no argument holds one) so that
// strings.Fields splits only between words.
func (r *wordReader) readArgv(s string) string {
	var words []string
	r.start = false
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := r.readValue(s, i)
		if j == i {
			return ""
		}
		words = append(words, strings.ReplaceAll(r.word.String(), " ", "\x00"))
		r.word.Reset()
		i = j
	}
	return strings.Join(words, " ")
}

// unescapePrintf decodes printf's escapes: \xHH, \NNN (octal), \n, \t,
// \\ and the like. A format with a % directive is not run.
func unescapePrintf(s string) (string, bool) {
	if strings.Contains(strings.ReplaceAll(s, "%%", ""), "%") {
		return "", false
	}
	s = strings.ReplaceAll(s, "%%", "%")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; {
		case c == 'x':
			j := i + 1
			for j < len(s) && j < i+3 && isHex(s[j]) {
				j++
			}
			if j == i+1 {
				b.WriteString(`\x`)
				continue
			}
			v, _ := strconv.ParseUint(s[i+1:j], 16, 8)
			b.WriteByte(byte(v))
			i = j - 1
		case c >= '0' && c <= '7':
			j := i
			if c == '0' {
				j++ // \0NNN
			}
			k := j
			for k < len(s) && k < j+3 && s[k] >= '0' && s[k] <= '7' {
				k++
			}
			v, _ := strconv.ParseUint(s[j:k], 8, 16)
			b.WriteByte(byte(v))
			i = k - 1
		case c == 'n':
			b.WriteByte('\n')
		case c == 't':
			b.WriteByte('\t')
		case c == '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	out := b.String()
	if !utf8.ValidString(out) {
		return "", false
	}
	return out, true
}

// decodePipes returns what the shell at the end of `echo LIT | DEC … | sh`
// (or `DEC <<< LIT | …`) is fed, when the stages before it are decoders it
// knows (rev, tr SET1 SET2, xxd -r -p, base32 -d, base64 -d), and whether
// there was one.
func decodePipes(cmd string) (string, bool) {
	if len(cmd) > readMaxIn || !strings.Contains(cmd, "|") {
		return "", false
	}
	parts := splitPipes(cmd)
	if len(parts) < 2 || len(parts) > 8 {
		return "", false
	}
	first := strings.TrimSpace(parts[0])
	lit, ok := printLiteral(first, nil)
	if !ok {
		// a here-string: DEC <<< LIT feeds DEC the literal
		dec, word, here := strings.Cut(first, "<<<")
		if !here {
			return "", false
		}
		r := &wordReader{vars: map[string]string{}}
		lit = strings.ReplaceAll(r.readArgv(strings.TrimSpace(word)), "\x00", " ")
		parts = append([]string{"", dec}, parts[1:]...)
	}
	data := strings.TrimSpace(lit)
	decoded := false
	for _, p := range parts[1:] {
		f := strings.Fields(strings.TrimSpace(p))
		if len(f) == 0 {
			return "", false
		}
		next, known := decodeStage(f, data)
		if !known {
			break
		}
		data, decoded = strings.TrimSpace(next), true
	}
	if !decoded || data == "" || !printable([]byte(data)) || len(data) > readMaxOut {
		return "", false
	}
	return data, true
}

// decodeStage runs one decoder of a pipeline on data.
func decodeStage(f []string, data string) (string, bool) {
	name := path.Base(f[0])
	flags := strings.Join(f[1:], "")
	switch {
	case name == "rev":
		lines := strings.Split(data, "\n")
		for i, l := range lines {
			r := []rune(l)
			for a, b := 0, len(r)-1; a < b; a, b = a+1, b-1 {
				r[a], r[b] = r[b], r[a]
			}
			lines[i] = string(r)
		}
		return strings.Join(lines, "\n"), true
	case name == "tr" && len(f) == 3:
		r := &wordReader{vars: map[string]string{}}
		from := strings.Fields(r.readArgv(f[1]))
		to := strings.Fields(r.readArgv(f[2]))
		if len(from) != 1 || len(to) != 1 {
			return "", false
		}
		return trRanges(data, from[0], to[0])
	case name == "xxd" && strings.Contains(flags, "r") && strings.Contains(flags, "p"):
		b, err := hex.DecodeString(strings.Join(strings.Fields(data), ""))
		return string(b), err == nil
	case name == "base32" && (strings.Contains(flags, "d") || strings.Contains(flags, "--decode")):
		s := strings.Join(strings.Fields(data), "")
		if m := len(s) % 8; m != 0 {
			s += strings.Repeat("=", 8-m)
		}
		b, err := base32.StdEncoding.DecodeString(s)
		return string(b), err == nil
	case name == "base64" && (strings.Contains(flags, "d") || strings.Contains(flags, "--decode")):
		b, err := base64.StdEncoding.DecodeString(padBase64(strings.Join(strings.Fields(data), "")))
		return string(b), err == nil
	}
	return "", false
}

func matchParen(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		case '\'':
			k := strings.IndexByte(s[j+1:], '\'')
			if k < 0 {
				return -1
			}
			j += k + 1
		}
	}
	return -1
}

// shellKeyword reports the reserved words that may come before a command.
func shellKeyword(w string) bool {
	switch w {
	case "while", "until", "do", "then", "else", "elif", "if", "!", "time", "{":
		return true
	}
	return false
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i > 0) {
			return false
		}
	}
	return true
}

func isNameByte(c byte, digit bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digit && c >= '0' && c <= '9'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// trRanges is tr SET1 SET2 for sets of ASCII letters, digits and ranges
// (a-z, n-za-m: rot13).
func trRanges(data, set1, set2 string) (string, bool) {
	a, ok1 := expandSet(set1)
	b, ok2 := expandSet(set2)
	if !ok1 || !ok2 || len(a) == 0 || len(b) == 0 {
		return "", false
	}
	var m [128]byte
	for i := range m {
		m[i] = byte(i)
	}
	for i, c := range a {
		if i < len(b) {
			m[c] = b[i]
		} else {
			m[c] = b[len(b)-1]
		}
	}
	out := []byte(data)
	for i, c := range out {
		if c < 128 {
			out[i] = m[c]
		}
	}
	return string(out), true
}

func expandSet(s string) ([]byte, bool) {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= 128 {
			return nil, false
		}
		if i+2 < len(s) && s[i+1] == '-' && s[i] <= s[i+2] {
			for c := s[i]; c <= s[i+2]; c++ {
				out = append(out, c)
			}
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out, len(out) <= 256
}

// onlyBase64 reports a pipeline whose decoders are base64 alone, which
// shellForms decodes by its literals.
func onlyBase64(cmd string) bool {
	for _, p := range splitPipes(cmd) {
		f := strings.Fields(p)
		if len(f) > 0 && (f[0] == "rev" || f[0] == "tr" || path.Base(f[0]) == "xxd" || path.Base(f[0]) == "base32" || strings.Contains(p, "<<<")) {
			return false
		}
	}
	return true
}

// quoteScan calls fn for each byte of s outside quotes (and not escaped),
// with its index; fn returning false stops the scan.
func quoteScan(s string, fn func(i int) bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return
			}
			i += j + 1
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		default:
			if !fn(i) {
				return
			}
		}
	}
}

// unquotedAny reports whether s has one of chars outside quotes.
func unquotedAny(s, chars string) bool {
	found := false
	quoteScan(s, func(i int) bool {
		found = strings.IndexByte(chars, s[i]) >= 0
		return !found
	})
	return found
}

// splitPipes splits s at its unquoted single '|' (not '||').
func splitPipes(s string) []string {
	var parts []string
	from := 0
	quoteScan(s, func(i int) bool {
		if s[i] == '|' && (i+1 >= len(s) || s[i+1] != '|') && (i == 0 || s[i-1] != '|') {
			parts = append(parts, s[from:i])
			from = i + 1
		}
		return len(parts) <= 8
	})
	return append(parts, s[from:])
}
