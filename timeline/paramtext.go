package timeline

import (
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// Where a request's parameter lands in a command decides what it is. A
// value the program receives as data — one element of an argv array (a
// search word, `kbindex query printer`), or text a shell reads inside
// quotes (`convert '/media/diagram.png'`) — is the application passing
// input along, as it does on every request. A value is command text only
// where something parses it as code: unquoted in a shell's (or an
// interpreter's) code string (`sh -c id`, the web shell's `?c=id`), as the
// program itself, as an option (`-T` injected into an argv array), or
// when it holds the characters that break out of a quoted string or end
// a command (`a'; id; '`). This is the difference between an application
// and an injection, and it does not depend on the command.

// breakout are the characters that end, chain or substitute a shell
// command (shellMeta), or break out of its quoting.
const breakout = shellMeta + `'"`

// paramAsCommand reports whether the value v appears in args as command
// text (above).
func paramAsCommand(args []string, v string) bool {
	if len(args) == 0 || v == "" {
		return false
	}
	if path.Base(args[0]) == v || args[0] == v {
		return true // the request names the program
	}
	for i, a := range args[1:] {
		if code, ok := codeOperand(args, i+1); ok {
			if strings.ContainsAny(v, breakout) && strings.Contains(code, v) {
				return true // it breaks out of quoting or chains commands
			}
			if occursAs(unquoted(code), v, shellWordEnd) {
				return true // whole words the shell parses
			}
			continue
		}
		if strings.HasPrefix(v, "-") && strings.HasPrefix(a, "-") && strings.Contains(a, v) {
			return true // an option injected into an argv array
		}
	}
	return false
}

// codeOperand returns args[i] when it is code: the operand of a shell's
// -c, or of an interpreter's -c, -e or -r (a shell's -e is errexit, and
// what follows it is a script's name).
func codeOperand(args []string, i int) (string, bool) {
	if i < 2 || !interpreterName(path.Base(args[0])) {
		return "", false
	}
	shell := namedAs(path.Base(args[0]), []string{"sh", "bash", "dash", "zsh", "ksh", "busybox"})
	switch args[i-1] {
	case "-c", "-lc", "-ec":
		return args[i], true
	case "-e", "-r":
		return args[i], !shell
	}
	return "", false
}

// unquoted returns shell text with what is inside quotes blanked out:
// the shell does not parse a quoted string as words.
func unquoted(s string) string {
	b := []byte(s)
	var q byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case q == 0 && (c == '\'' || c == '"'):
			q = c
			b[i] = ' '
		case q == 0 && c == '\\' && i+1 < len(b):
			i++ // an escaped character is a literal, but it stays a word's part
		case q != 0 && c == q:
			q = 0
			b[i] = ' '
		case q == '"' && c == '\\' && i+1 < len(b):
			b[i], b[i+1] = ' ', ' '
			i++
		case q != 0:
			b[i] = ' '
		}
	}
	return string(b)
}

// shellWordEnd accepts a byte beside a value as the end of shell words:
// blank, or an operator. A value inside a word (`diagram` in
// `/m/diagram.png`) is part of a name, not words of its own.
func shellWordEnd(s string, i int, _ bool) bool {
	return strings.IndexByte(" \t\n;|&()<>", s[i]) >= 0
}

// rootTemplate is the template of a web server child's command, with the
// arguments that are its request's parameter values as data (one argv
// element each, paramAsCommand false) written as the parameter's name:
// the search page's `kbindex query printer` and `kbindex query vpn` are
// one routine, `kbindex query <q>`, as two thumbnails are one. A value
// that is command text stays, and so keeps an injection out of the
// application's template.
func (l *linker) rootTemplate(a *parser.Process, args []string) string {
	rl, ok := l.cz.execs[a]
	if !ok || rl.Request == nil || rl.Request.HTTP == nil || rl.Request.HTTP.Query == "" || len(args) < 2 {
		return l.tmpl.of(args)
	}
	vals, _ := url.ParseQuery(rl.Request.HTTP.Query)
	names := slices.Sorted(maps.Keys(vals)) // one name for a value two parameters share, whatever the map's order
	var out []string
	for i, arg := range args {
		if i == 0 {
			continue
		}
		if _, code := codeOperand(args, i); code || len(arg) < 2 || strings.HasPrefix(arg, "-") {
			continue
		}
		for _, n := range names {
			if slices.Contains(vals[n], arg) && !paramAsCommand(args, arg) {
				if out == nil {
					out = slices.Clone(args)
				}
				out[i] = "<" + n + ">"
				break
			}
		}
	}
	if out == nil {
		return l.tmpl.of(args)
	}
	return l.tmpl.of(out)
}
