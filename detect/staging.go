package detect

import (
	"path"
	"strings"
)

// runsFetched reports whether a shell command runs a program it could
// have fetched: a command word that is a path in a temporary directory or
// relative to the working directory (/tmp/x, ./x, bin/x), a script fed to
// a shell or interpreter by name (sh x.sh, python3 /tmp/x), or one sourced
// (. x). A download or an unpack that is followed by such a run shows
// more than staging: the tool fetched is used (see NeedsCorroboration).
// The command is read as the shell splits it (simpleCommands: a quoted
// separator is none), without evaluating it, and a shell's -c string is
// read the same way. Quotes matter: an awk or sed program's `;`, `(` and
// `/` are no command words (benign-shop-invoices: a price import's awk
// pattern `([.][0-9]+)?$/` was read as a relative path run, and its
// reading of PHP's upload temp file went high as a fetched tool's run).
func runsFetched(cmd string) bool { return runsFetchedDepth(cmd, 0) }

func runsFetchedDepth(cmd string, depth int) bool {
	found := false
	simpleCommands(cmd, func(words []string, _ bool) bool {
		for len(words) > 0 && (words[0] == "{" || words[0] == "}" || words[0] == "!") {
			words = words[1:]
		}
		if simpleRunsFetched(words) {
			found = true
		} else if inner, ok := shellDashC(words); ok && depth < 4 {
			found = runsFetchedDepth(inner, depth+1)
		}
		return !found
	})
	if !found && depth < 4 {
		for _, inner := range substitutions(cmd) {
			if runsFetchedDepth(inner, depth+1) {
				return true
			}
		}
	}
	return found
}

// substitutions returns the commands a shell string runs through $(…)
// and `…` outside single quotes (at most 8), whose words argvWords keeps
// glued to their surroundings.
func substitutions(cmd string) []string {
	var out []string
	single := false
	for i := 0; i < len(cmd) && len(out) < 8; i++ {
		switch c := cmd[i]; {
		case c == '\'':
			single = !single
		case single:
		case c == '`':
			if j := strings.IndexByte(cmd[i+1:], '`'); j >= 0 {
				out = append(out, cmd[i+1:i+1+j])
				i += j + 1
			}
		case c == '$' && i+1 < len(cmd) && cmd[i+1] == '(':
			depth, end := 0, -1
			for j := i + 1; j < len(cmd) && end < 0; j++ {
				if cmd[j] == '(' {
					depth++
				} else if cmd[j] == ')' {
					if depth--; depth == 0 {
						end = j
					}
				}
			}
			if end < 0 {
				// unbalanced: no shell runs it, and searching again from
				// each later "$(" would make a hostile argv quadratic
				return out
			}
			out = append(out, cmd[i+2:end])
			i = end
		}
	}
	return out
}

// shellDashC returns the command string a shell's words run with -c.
func shellDashC(words []string) (string, bool) {
	i := commandStart(words)
	if i >= len(words) {
		return "", false
	}
	switch path.Base(strings.Trim(words[i], "`")) {
	case "sh", "bash", "dash", "zsh", "ksh", "busybox", "ash":
	default:
		return "", false
	}
	for k := i + 1; k+1 < len(words); k++ {
		if words[k] == "-c" {
			return words[k+1], true
		}
	}
	return "", false
}

// wrappers are command words that run the next word as the command.
var wrappers = map[string]bool{"nohup": true, "setsid": true, "exec": true, "sudo": true, "nice": true,
	"env": true, "timeout": true, "stdbuf": true, "then": true, "do": true, "else": true, "!": true, "$": true}

// scriptRunners run a script file named by their first non-option word.
var scriptRunners = []string{"sh", "bash", "dash", "zsh", "ksh", "busybox", "python", "python2", "python3",
	"perl", "php", "ruby", "node", "nodejs", "lua", "luajit", "tclsh", "wish", "expect", "java"}

// commandStart returns the index of the word that is the command: past
// the wrappers (by name or path), their options and numbers, and
// assignments; len(words) when there is none.
func commandStart(words []string) int {
	i := 0
	for i < len(words) {
		w := strings.Trim(words[i], `"'`)
		switch {
		case wrappers[path.Base(w)], strings.HasPrefix(w, "-") && i > 0, isAssignment(w), isNumber(w) && i > 0:
			i++
			continue
		}
		break
	}
	return i
}

func simpleRunsFetched(words []string) bool {
	i := commandStart(words)
	if i >= len(words) {
		return false
	}
	prog := strings.Trim(strings.TrimPrefix(words[i], "$("), "\"'`")
	if prog == "." || prog == "source" {
		return true
	}
	if fetchedPath(prog) {
		return true
	}
	return isScriptRunner(prog) && scriptOperand(words[i+1:]) != ""
}

// isScriptRunner reports whether a program runs a script file named by
// its first non-option word (sh, python3.11, php…).
func isScriptRunner(prog string) bool {
	base := path.Base(prog)
	for _, n := range scriptRunners {
		if base == n || strings.HasPrefix(base, n) && strings.Trim(base[len(n):], "0123456789.") == "" {
			return true
		}
	}
	return false
}

// scriptOperand returns the script file a runner's words after its name
// give it, or "" for inline code (-c, -e, -r, -m) or none.
func scriptOperand(words []string) string {
	for _, w := range words {
		w = strings.Trim(w, `"'`)
		switch {
		case w == "-c" || w == "-e" || w == "-r" || w == "-m":
			return "" // inline code: judged by its own selections
		case strings.HasPrefix(w, "-"):
			continue
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<") || strings.HasPrefix(w, "2>"):
			return ""
		}
		return w // the script file it runs
	}
	return ""
}

// fetchedPath reports whether a command word names a program where a
// fetched file lands: a temporary directory, or a path relative to the
// working directory.
func fetchedPath(w string) bool {
	for _, d := range []string{"/tmp/", "/var/tmp/", "/dev/shm/"} {
		if strings.HasPrefix(w, d) {
			return true
		}
	}
	return strings.HasPrefix(w, "./") || strings.HasPrefix(w, "../") ||
		!strings.HasPrefix(w, "/") && strings.Contains(w, "/") && !strings.Contains(w, "=")
}

func isAssignment(w string) bool {
	eq := strings.IndexByte(w, '=')
	return eq > 0 && !strings.ContainsAny(w[:eq], "/-.")
}

func isNumber(w string) bool {
	return w != "" && strings.Trim(w, "0123456789smhd.") == ""
}
