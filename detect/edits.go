package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

// A file the audit rules do not watch is still named by the program that
// edits it: `sed -i '…' /etc/logrotate.d/press`, `tee -a ~/.bashrc`,
// `cp x /etc/cron.d/job`. The exec's argv is exact (each element one
// word, whatever quotes or `|` the sed script holds), so the files a
// known editing tool writes can be read from it without a shell's
// parsing. What the rules get (EditedFile) is what the command line says
// it writes: the write itself is not in the log, and the exec's success
// says the program ran, not that the edit took (the finding says so).

// editedFiles returns the files an editing tool's argv writes: sed and
// perl with -i (every file operand), tee (every operand), cp, mv, install
// and ln (the destination), dd (of=), truncate (its operands). Nothing for
// any other program; at most maxEdited files.
func editedFiles(exe string, args []string) []string {
	if len(args) < 2 {
		return nil
	}
	name := path.Base(exe)
	if name == "." || name == "/" || name == "" {
		name = path.Base(args[0])
	}
	ops := args[1:]
	var out []string
	add := func(f string) {
		if f != "" && f != "-" && len(out) < maxEdited {
			out = append(out, f)
		}
	}
	if script, ok := shellCommand(exe, args); ok {
		// the shell opens a redirection's file itself: its -c string is
		// the only record of that write (`echo … | base64 -d > x.pth`)
		for _, f := range shellRedirects(script) {
			add(f)
		}
		return out
	}
	switch {
	case name == "sed" || name == "gsed":
		inPlace, script := false, false
		var files []string
		for i := 0; i < len(ops); i++ {
			a := ops[i]
			switch {
			case a == "--":
				files = append(files, ops[i+1:]...)
				i = len(ops)
			case a == "-e" || a == "-f" || a == "--expression" || a == "--file":
				script = true
				i++ // its value
			case strings.HasPrefix(a, "--expression=") || strings.HasPrefix(a, "--file="):
				script = true
			case a == "--in-place" || strings.HasPrefix(a, "--in-place="):
				inPlace = true
			case len(a) > 1 && a[0] == '-' && a[1] != '-':
				// clustered short options: -i, -ni, -i.bak, -Ei; -e/-f
				// last in a cluster take the next word
				for k := 1; k < len(a); k++ {
					switch a[k] {
					case 'i':
						inPlace = true
						k = len(a) // the rest is a backup suffix
					case 'e', 'f':
						script = true
						if k == len(a)-1 {
							i++
						}
						k = len(a)
					}
				}
			case strings.HasPrefix(a, "--"):
			default:
				files = append(files, a)
			}
		}
		if !inPlace {
			return nil
		}
		if !script && len(files) > 0 {
			if onlyDeletes(files[0]) {
				return nil // lines taken out add nothing to run
			}
			files = files[1:] // the first operand is the script
		}
		for _, f := range files {
			add(f)
		}
	case strings.HasPrefix(name, "perl"):
		// perl's own switches end at its program: -e's text, or the first
		// operand, a script file. What follows belongs to the program
		// (exiftool's -overwrite_original is no -i of perl's)
		inPlace, code := false, false
		i := 0
	switches:
		for ; i < len(ops); i++ {
			a := ops[i]
			switch {
			case a == "--":
				i++
				break switches
			case len(a) < 2 || a[0] != '-':
				break switches
			}
			for k := 1; k < len(a); k++ {
				switch a[k] {
				case 'i': // -i, -i.bak: the rest of the word is the backup's suffix
					inPlace, k = true, len(a)
				case 'e', 'E': // the code: the rest of the word, else the next one
					code = true
					if k == len(a)-1 {
						i++
					}
					k = len(a)
				case 'l', '0': // digits only: -lane is -l -a -n -e, -0777 a record separator
					hex := a[k] == '0' && k+1 < len(a) && a[k+1] == 'x'
					if hex {
						k++
					}
					for k+1 < len(a) && (a[k+1] >= '0' && a[k+1] <= '7' || hex && strings.IndexByte("89abcdefABCDEF", a[k+1]) >= 0) {
						k++
					}
				case 'M', 'm', 'I', 'x', 'C', 'd', 'D', 'V', 'F': // a value joined to the switch (-F/i/ is no -i)
					k = len(a)
				}
			}
		}
		if !inPlace {
			return nil
		}
		if !code && i < len(ops) {
			i++ // the script file: read, not edited
		}
		for _, a := range ops[min(i, len(ops)):] {
			add(a)
		}
	case name == "tee" || name == "truncate":
		for i := 0; i < len(ops); i++ {
			a := ops[i]
			if name == "truncate" && (a == "-s" || a == "-r" || a == "--size" || a == "--reference") {
				i++
				continue
			}
			if a != "" && a[0] != '-' {
				add(a)
			}
		}
	case name == "cp" || name == "mv" || name == "install" || name == "ln":
		operands, dir, makesDirs := copyOperands(name, ops)
		switch {
		case makesDirs:
		case dir != "":
			add(dir)
		case len(operands) > 0:
			add(operands[len(operands)-1])
		}
	case name == "dd":
		for _, a := range ops {
			if f, ok := strings.CutPrefix(a, "of="); ok {
				add(f)
			}
		}
	}
	return out
}

// copyOperands reads the words after cp, mv, install or ln: the operands
// that are no option, the folder a -t names ("" for none), and whether it
// is install -d, which makes folders and writes no file (-D, which makes
// the leading folders of a file it installs, is not -d).
func copyOperands(name string, ops []string) (operands []string, dir string, makesDirs bool) {
	for i := 0; i < len(ops); i++ {
		a := ops[i]
		switch {
		case a == "-t" || a == "--target-directory":
			if i+1 < len(ops) {
				i++
				dir = ops[i]
			}
		case strings.HasPrefix(a, "--target-directory="):
			dir = strings.TrimPrefix(a, "--target-directory=")
		case name == "install" && (a == "-m" || a == "-o" || a == "-g" || a == "--mode" || a == "--owner" || a == "--group"):
			i++ // its value
		case name == "install" && (a == "--directory" || len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a, 'd') > 0):
			return nil, "", true
		case a == "" || a[0] == '-':
		default:
			operands = append(operands, a)
		}
	}
	return operands, dir, false
}

// onlyDeletes reports whether a sed script only deletes lines ("/re/d",
// "3d", "/a/,/b/d", several joined by ";"): an in-place edit that adds
// nothing the system could run, as taking a planted line out again does.
func onlyDeletes(script string) bool {
	parts := strings.Split(script, ";")
	for _, p := range parts {
		if !sedDeleteRE.MatchString(strings.TrimSpace(p)) {
			return false
		}
	}
	return len(parts) > 0
}

var sedDeleteRE = lazydfa.MustCompile(`^((\d+|\$|/([^/\\]|\\.)*/)(,(\d+|\$|/([^/\\]|\\.)*/))?)d$`)

// maxEdited bounds the files one argv is read for.
const maxEdited = 16

// editedPaths returns the files an editing tool's argv writes, made
// absolute against the process's folder cwd ("~/x" as homePath reads it).
func editedPaths(exe string, args []string, cwd string) []string {
	fs := editedFiles(exe, args)
	for i, f := range fs {
		if !strings.HasPrefix(f, "/") && !strings.HasPrefix(f, "~") && cwd != "" {
			f = path.Join(cwd, f)
		}
		fs[i] = homePath(f)
	}
	return fs
}

// shellRedirects returns the files a shell script's own redirections
// write (`> f`, `>> f`, `>| f`, `&> f`, `2> f`), read as the shell reads
// them: a `>` inside quotes is no redirection (an inner `sh -c '… > f'`
// is the inner shell's write, judged on its own exec), a quoted target
// loses its quotes, and a target that names no file (`>&2`, `>(…)`,
// /dev/*) is left out. At most maxEdited files.
func shellRedirects(script string) []string { return redirects(script, true) }

// shellCreates is shellRedirects without the appends (`>> f`): the files
// the script writes whole, not lines it adds to a file that was there.
func shellCreates(script string) []string { return redirects(script, false) }

func redirects(script string, appends bool) []string {
	var out []string
	var quote byte // the quote we are in, or 0
	for i := 0; i < len(script) && len(out) < maxEdited; i++ {
		c := script[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
			continue
		case c == '\\':
			i++
			continue
		case c == '\'' || c == '"':
			quote = c
			continue
		case c != '>':
			continue
		}
		j := i + 1
		appended := j < len(script) && script[j] == '>'
		if j < len(script) && (script[j] == '>' || script[j] == '|') {
			j++
		}
		if j < len(script) && (script[j] == '&' || script[j] == '(') {
			i = j
			continue // >&2: a descriptor copied; >(…): a process substitution
		}
		for j < len(script) && (script[j] == ' ' || script[j] == '\t') {
			j++
		}
		w, k := shellWord(script, j)
		i = k - 1
		if w != "" && !DeviceName(w) && (appends || !appended) {
			out = append(out, w)
		}
	}
	return out
}

// shellWord reads the word starting at i, its quotes taken off, and
// returns it with the index just past it. A word holding an expansion
// ($x, `…`) is returned as written: what it names is not known.
func shellWord(s string, i int) (string, int) {
	var b strings.Builder
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == quote {
				quote = 0
				continue
			}
			if c == '\\' && quote == '"' && i+1 < len(s) {
				i++
				c = s[i]
			}
			b.WriteByte(c)
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
			continue
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
			continue
		case ' ', '\t', '\n', ';', '|', '&', '<', '>', '(', ')':
			return b.String(), i
		}
		b.WriteByte(c)
	}
	return b.String(), i
}
