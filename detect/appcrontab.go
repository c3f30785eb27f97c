package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// appCrontab says whether ev is the application installing its account's
// crontab, what only its chain can show to be an intrusion, and how
// (ShowsSchedule, ShowsShippedSchedule; "" when it is not):
//   - crontab reading the table from its standard input (crontab -, or no
//     operand), exec'd by a web server's process itself with an argument
//     list, no shell between: the application's own code path (a
//     scheduling page's proc_open), not a command line anyone could inject
//     into. What it installs is not in the log.
//   - crontab FILE run by the shell the server's worker started, FILE a
//     file of the site's served tree that no record shows written during
//     the log, the shell's command only crontab and text filters: a table
//     the application shipped (a release endpoint installing the release's
//     crontab). A table an intrusion puts there shows its write, and a
//     table it writes elsewhere (/tmp, a shell's redirection) is no file
//     of the site.
func (s *state) appCrontab(ev *parser.Event, p *parser.Process, in *procInfo) Shows {
	if ev.Kind != parser.KindExec || p == nil || in == nil || in.web == nil {
		return ""
	}
	if path.Base(ev.Exe) == "crontab" && p.Parent == in.web {
		if len(ev.Args) == 1 || len(ev.Args) == 2 && ev.Args[1] == "-" {
			return ShowsSchedule
		}
		return ""
	}
	// the shell, or its crontab
	sh := p
	if path.Base(ev.Exe) == "crontab" {
		sh = p.Parent
	}
	if sh == nil || sh.Parent != in.web {
		return ""
	}
	if sc, ok := shellCommand(sh.Exe, sh.Args); ok && s.shippedTable(ev.Host, sh.Cwd, sc) {
		return ShowsShippedSchedule
	}
	return ""
}

// shippedTable reports whether a shell command installs a crontab from a
// file of the site's served tree that no record shows written during the
// log, and runs nothing but crontab and text filters of its listing.
func (s *state) shippedTable(host, cwd, sc string) bool {
	if len(shellCreates(sc)) > 0 {
		return false
	}
	only, tables := true, 0
	simpleCommands(sc, func(all []string, bg bool) bool {
		var words []string
		for _, w := range all {
			if !redirectionWord(w) {
				words = append(words, w)
			}
		}
		only = !bg && len(words) > 0 && tableCommands[path.Base(words[0])]
		if only && path.Base(words[0]) == "crontab" && len(words) == 2 && !strings.HasPrefix(words[1], "-") {
			table := absIn(strings.Trim(words[1], `'"`), cwd)
			// a write a rule reported; the install's own naming of the
			// table (persistence-command) is no write
			fw, flagged := s.flagged.m[writeKey{host, table}]
			flagged = flagged && fw.rule != RulePersistenceCommand
			only = table != "" && servedTree(table) && !flagged && s.writtenBy(host, table) == ""
			tables++
		}
		return only
	})
	return only && tables == 1
}

// tableCommands are what a shell installing a shipped crontab runs beside
// crontab: text filters of its listing.
var tableCommands = map[string]bool{"crontab": true, "grep": true, "head": true, "tail": true, "sort": true, "wc": true, "cat": true}

// servedTree reports whether a file lies in the folders sites are served
// from (stagingDirs' web roots).
func servedTree(file string) bool {
	for _, d := range []string{"/var/www/", "/srv/", "/usr/share/nginx/"} {
		if strings.HasPrefix(file, d) {
			return true
		}
	}
	return false
}
