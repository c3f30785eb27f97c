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
		if script == "" || sedAddRE.MatchString(script) || !sedTakeRE.MatchString(script) {
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
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		return rest[:i]
	}
	return rest
}
