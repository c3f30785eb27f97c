package detect

import (
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// An escape through sudo (a program sudo runs told to run a command of its
// own: GTFOBins) is how an account whose sudo rule names one program gets
// root. The same account escaping through the same program again was root
// that way before: the later escape keeps an access gained (a persistence
// re-running it: shop-wishlist's ~/.forward pipe), placed on 5 as a planted
// script's later runs are (writtenrun.go's escalates).
// RuleSudoEscapeService is the rule of a GTFOBins escape through sudo by a
// process in no one's login (rules/sudo_shell_escape_service.yml).
const RuleSudoEscapeService = "sudo-shell-escape-service"

// maxSudoEscapes bounds the escapes remembered (the oldest go first).
const maxSudoEscapes = 4096

// sudoEscape is one account's escape through one program sudo runs.
type sudoEscape struct {
	host    string
	uid     uint32
	program string
}

// sudoEscapeAgain records an escape through sudo and reports whether the
// same account escaped through the same program before (and when).
func (s *state) sudoEscapeAgain(ev *parser.Event) (time.Time, bool) {
	prog := sudoProgram(ev.Args)
	if prog == "" || !ev.UID.Set {
		return time.Time{}, false
	}
	k := sudoEscape{ev.Host, ev.UID.N, path.Base(prog)}
	if at, ok := s.sudoEscapes.get(k); ok {
		return at, true
	}
	s.sudoEscapes.put(k, ev.Time, maxSudoEscapes)
	return time.Time{}, false
}

// sudoProgram is the program a sudo command line runs: its first word
// that is no option of sudo's (those that take a value skip it).
func sudoProgram(args []string) string {
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				return args[i+1]
			}
			return ""
		case strings.HasPrefix(a, "-"):
			if len(a) == 2 && strings.ContainsRune("ughpCDRrtTU", rune(a[1])) {
				i++ // its value
			}
		default:
			return a
		}
	}
	return ""
}
