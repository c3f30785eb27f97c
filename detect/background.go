package detect

import "strings"

// backgrounded returns the simple commands a shell command string starts
// in the background (`… &`), as the argv they will exec: words split as
// the shell would (quotes removed), redirections and wrapping parentheses
// left out. A shell that backgrounds a command and exits at once leaves
// it to init before it execs, so its exec shows ppid 1 and no tie to the
// shell: the argv is the evidence that ties it back (state.adopt).
func backgrounded(cmd string) [][]string {
	var out [][]string
	simpleCommands(cmd, func(words []string, bg bool) bool {
		if bg {
			out = append(out, words)
		}
		return len(out) < 8
	})
	return out
}

// simpleCommands calls fn with each simple command of a shell command
// string (between ;, newlines, |, ||, && and &) as the argv it will exec
// (argvWords), and whether a lone & ends it (started in the background),
// until fn returns false. A quoted separator is no separator. The last
// command, which no separator ends, is passed too, as not backgrounded.
func simpleCommands(cmd string, fn func(words []string, bg bool) bool) {
	separated(cmd, func(words []string, sep string) bool { return fn(words, sep == "&") })
}

// separated is simpleCommands with the separator that ends each command
// (";", "|", "||", "&&", "&", "" for the last).
func separated(cmd string, fn func(words []string, sep string) bool) {
	start := 0
	emit := func(end int, sep string) bool {
		if w := argvWords(cmd[start:end]); len(w) > 0 && w[0] != "" {
			return fn(w, sep)
		}
		return true
	}
	for i := 0; i < len(cmd); i++ {
		switch c := cmd[i]; c {
		case '\\':
			i++ // an escaped character is no separator and opens no quote
		case '\'', '"':
			if j := closingQuote(cmd[i+1:], c); j >= 0 {
				i += j + 1
			}
		case ';', '\n':
			if !emit(i, ";") {
				return
			}
			start = i + 1
		case '|':
			sep := "|"
			if i+1 < len(cmd) && cmd[i+1] == '|' {
				sep = "||"
			}
			if !emit(i, sep) {
				return
			}
			i += len(sep) - 1
			start = i + 1
		case '&':
			switch {
			case i+1 < len(cmd) && cmd[i+1] == '&': // &&
				if !emit(i, "&&") {
					return
				}
				i++
				start = i + 1
			case i > 0 && (cmd[i-1] == '>' || cmd[i-1] == '<'): // 2>&1
			case i+1 < len(cmd) && cmd[i+1] == '>': // &>file
			default:
				if !emit(i, "&") {
					return
				}
				start = i + 1
			}
		}
	}
	emit(len(cmd), "")
}

// argvWords splits one simple command into the words it execs: quotes
// removed, redirections (and their targets) and parentheses dropped.
// Variables and substitutions are kept as written: such a command cannot
// be matched exactly, and none is.
func argvWords(s string) []string {
	var words []string
	var cur strings.Builder
	has, skipNext := false, false
	flush := func() {
		if !has {
			return
		}
		w := cur.String()
		cur.Reset()
		has = false
		switch {
		case skipNext:
			skipNext = false
		case w == ">" || w == ">>" || w == "<" || w == "2>" || w == "1>" || w == "2>>" || w == "&>":
			skipNext = true
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<") || strings.HasPrefix(w, "2>") || strings.HasPrefix(w, "1>") || strings.HasPrefix(w, "&>"):
		default:
			words = append(words, w)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			// outside quotes a backslash makes the next character
			// literal ('\'' puts a quote inside a single-quoted text)
			i++
			cur.WriteByte(s[i])
			has = true
		case c == '\'' || c == '"':
			j := closingQuote(s[i+1:], c)
			if j < 0 {
				return nil // unbalanced: not a command we can read
			}
			in := s[i+1 : i+1+j]
			if c == '"' && strings.IndexByte(in, '\\') >= 0 {
				in = unescapeDouble(in)
			}
			cur.WriteString(in)
			has = true
			i += j + 1
		case c == ' ' || c == '\t' || c == '(' || c == ')' || c == '{' || c == '}':
			flush()
		case c == '>' || c == '<':
			// a redirection glued to a word ends it: "x>/dev/null"
			if has && cur.String() != "2" && cur.String() != "1" {
				flush()
			}
			cur.WriteByte(c)
			has = true
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	flush()
	return words
}

// closingQuote returns the index in s of the quote q that closes a quoted
// text s follows, -1 when none does: in double quotes a backslash escapes
// the quote, in single quotes nothing does.
func closingQuote(s string, q byte) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == q:
			return i
		case q == '"' && s[i] == '\\':
			i++
		}
	}
	return -1
}

// unescapeDouble takes off the backslashes that escape a character inside
// double quotes (", \\, $, `): the others the shell keeps.
func unescapeDouble(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
