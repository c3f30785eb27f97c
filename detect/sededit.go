package detect

import (
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

// An in-place edit says by its expression what it does to the file. Lines
// appended or inserted (sed's a, i, r: '$a …', '1i …', '/exec/i …') add
// code: a profile or a start script made to run the intrusion's command,
// persistence. Lines deleted (d), commented out (s/^/#/) or values
// substituted (s/old/new/) take away or alter what was there: the
// intrusion's own lines removed from a log or a plant (clean-up), or
// someone else's job disabled and the application's data or settings
// changed (impact: T1490 recovery inhibited, T1565.001 stored data
// manipulated). Both are stage 8, whichever file it is: a persistence
// place edited this way gains nothing that runs.

// sedAddRE is an append, insert or read command after an address or at
// the start of the script ('$a text', '1i\', '/x/a text', 'r file').
var sedAddRE = lazydfa.MustCompile(`(^|[/$0-9;{}]\s*)[aiRr](\s|\\|$)`)

// sedTakeRE is a delete after an address ('/x/d', '$d', '3d') or a
// substitution ('s/a/b/', 's|a|b|g').
var sedTakeRE = lazydfa.MustCompile(`(^|[/$0-9;{}]\s*)d\s*(;|}|$)|(^|[/$0-9;{}]\s*)s[/|#,:@!]`)

// sedAlters reports whether cmd edits a file in place with sed only to
// delete, comment out or substitute (above), adding nothing: every sed of
// it given -i (or --in-place, -i.bak, -ni) has such a script, and one does.
func sedAlters(cmd string) bool {
	found := false
	for i := 0; i < len(cmd); {
		j := strings.Index(cmd[i:], "sed")
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		if at > 0 && !strings.ContainsRune(" \t;|&(/", rune(cmd[at-1])) || i >= len(cmd) || cmd[i] != ' ' && cmd[i] != '\t' {
			continue
		}
		inPlace, withE, rest := sedOptions(cmd[i:])
		if !inPlace {
			continue
		}
		script := sedScript(rest, withE)
		if script == "" || sedAddRE.MatchString(script) || substAdds(script) || !sedTakeRE.MatchString(script) {
			return false
		}
		found = true
	}
	return found
}

// sedOptions reads sed's options at the start of s: whether it edits in
// place, whether a script follows -e, and what follows the options.
func sedOptions(s string) (inPlace, withE bool, rest string) {
	for {
		s = strings.TrimLeft(s, " \t")
		if !strings.HasPrefix(s, "-") || strings.HasPrefix(s, "-e ") || strings.HasPrefix(s, "--expression") {
			return inPlace, withE || strings.HasPrefix(s, "-e ") || strings.HasPrefix(s, "--expression"), s
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			return inPlace, withE, ""
		}
		opt := s[:end]
		if strings.HasPrefix(opt, "--in-place") || !strings.HasPrefix(opt, "--") && strings.Contains(opt, "i") {
			inPlace = true
		}
		s = s[end:]
	}
}

// sedScript returns the script of sed's operands (rest): the value of -e,
// or the first operand, without its quotes.
func sedScript(rest string, afterE bool) string {
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "-e ") {
		rest = strings.TrimSpace(rest[3:])
	} else if r, ok := strings.CutPrefix(rest, "--expression="); ok {
		rest = r
	} else if strings.HasPrefix(rest, "-") && !afterE {
		return ""
	}
	if rest == "" {
		return ""
	}
	if q := rest[0]; q == '\'' || q == '"' {
		if end := strings.IndexByte(rest[1:], q); end >= 0 {
			return rest[1 : end+1]
		}
		return ""
	}
	if end := substEnd(rest); end > 0 {
		// an argv joined with spaces lost its quotes: a substitution
		// runs to its third delimiter, spaces and all, then its flags
		if i := strings.IndexAny(rest[end:], " \t"); i >= 0 {
			return rest[:end+i]
		}
		return rest
	}
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		return rest[:i]
	}
	return rest
}

// substEnd returns the length of the substitution s starts with up to its
// third delimiter ('s|a b|c d|' of an argv joined by spaces), 0 when s
// does not start with one or it does not end.
func substEnd(s string) int {
	if len(s) < 2 || s[0] != 's' || !strings.ContainsRune("/|#,:@!", rune(s[1])) {
		return 0
	}
	d, n := s[1], 0
	for j := 2; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case d:
			if n++; n == 2 {
				return j + 1
			}
		}
	}
	return 0
}

// substAdds reports whether a substitution of the script adds to what it
// matched rather than replacing it: its replacement keeps the match (an
// unescaped & or \0) or breaks the line (\n). 's|include x;|&\nline|'
// appends a line after the one it found, as sed's a command would: code
// added to a server's configuration (a PHP_VALUE prepend), persistence.
func substAdds(script string) bool {
	for i := 0; i+1 < len(script); i++ {
		if script[i] != 's' || i > 0 && !strings.ContainsRune(" \t;{}/$0123456789", rune(script[i-1])) {
			continue
		}
		d := script[i+1]
		if !strings.ContainsRune("/|#,:@!", rune(d)) {
			continue
		}
		// the pattern, then the replacement, each up to an unescaped d
		j, field := i+2, 0
		for ; j < len(script) && field < 2; j++ {
			switch c := script[j]; {
			case c == '\\' && j+1 < len(script):
				if field == 1 && (script[j+1] == 'n' || script[j+1] == '0') {
					return true
				}
				j++
			case c == d:
				field++
			case c == '&' && field == 1:
				return true
			}
		}
		i = j - 1
	}
	return false
}
