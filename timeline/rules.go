package timeline

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// ErrRule marks a line of an audit.rules file that could not be understood;
// it is carried in parser.Error.Err.
var ErrRule = errors.New("bad audit rule")

// Watch is one file watch (-w PATH -p PERMS -k KEY, or an exit rule with
// -F path=/-F dir=).
type Watch struct {
	Path  string
	Perms string // r, w, x, a as given; "" means all
	Key   string
}

// AuditRules is what a rule set says the kernel audited. Only "always"
// rules on the exit list count: never rules exclude, and the user, exclude
// and filesystem lists filter records rather than create them.
type AuditRules struct {
	Syscalls    []string // sorted, unique
	AllSyscalls bool     // an always,exit rule without -S audits every syscall it matches
	Watches     []Watch  // in file order
	Keys        []string // sorted, unique
	Rules       int      // always/never rules and watches read
	Disabled    bool     // -e 0 in the file: auditing off once loaded
}

// ParseAuditRules reads auditctl syntax as found in audit.rules and
// rules.d/*.rules: "-a always,exit -F arch=b64 -S execve -k key", "-w /path
// -p wa -k key", control lines (-D, -b, -f, -e, -i, --backlog_wait_time).
// A line it cannot read is reported with its position and skipped; the rest
// still counts, like any other evidence.
func ParseAuditRules(name string, r io.Reader) (*AuditRules, []*parser.Error) {
	var (
		out      AuditRules
		errs     []*parser.Error
		syscalls = map[string]bool{}
		keys     = map[string]bool{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20) // a rule line over 1 MiB is not a rule
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fail := func(format string, a ...any) {
			errs = append(errs, &parser.Error{
				Pos:    parser.Pos{File: name, Line: line},
				Record: text,
				Err:    fmt.Errorf("%w: %s", ErrRule, fmt.Sprintf(format, a...)),
			})
		}
		rule, err := parseRuleLine(text)
		if err != nil {
			fail("%v", err)
			continue
		}
		switch {
		case rule.control:
			if rule.enable == "0" {
				out.Disabled = true
			}
			continue
		case rule.watch != "":
			out.Rules++
			if rule.remove {
				continue
			}
			out.Watches = append(out.Watches, Watch{Path: rule.watch, Perms: rule.perms, Key: rule.key})
		case rule.action != "":
			out.Rules++
			if rule.action != "always" || rule.list != "exit" || rule.remove {
				continue
			}
			if rule.fieldPath != "" {
				out.Watches = append(out.Watches, Watch{Path: rule.fieldPath, Perms: rule.perms, Key: rule.key})
			}
			if len(rule.syscalls) == 0 && rule.fieldPath == "" {
				out.AllSyscalls = true
			}
			for _, s := range rule.syscalls {
				if s == "all" {
					out.AllSyscalls = true
					continue
				}
				syscalls[s] = true
			}
		default:
			fail("no -a, -A, -w or control option")
			continue
		}
		if rule.key != "" {
			for _, k := range strings.Split(rule.key, ",") {
				keys[k] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, &parser.Error{Pos: parser.Pos{File: name, Line: line + 1}, Err: fmt.Errorf("%w: %v", ErrRule, err)})
	}
	out.Syscalls = sortedKeys(syscalls)
	out.Keys = sortedKeys(keys)
	return &out, errs
}

// ruleLine is one auditctl command line, reduced to what coverage needs.
type ruleLine struct {
	control   bool   // -D, -b, -e, -f, -i, -r, --backlog_wait_time …
	enable    string // value of -e
	remove    bool   // -d or -W
	action    string // always, never
	list      string // exit, task, user, exclude, filesystem, io_uring
	syscalls  []string
	watch     string // -w/-W path
	fieldPath string // -F path= or -F dir=
	perms     string
	key       string
}

// parseRuleLine splits one line the way auditctl does (whitespace, with
// single or double quotes allowed around a value) and reads its options.
func parseRuleLine(text string) (ruleLine, error) {
	var r ruleLine
	args := splitRuleArgs(text)
	next := func(i *int, opt string) (string, error) {
		if *i+1 >= len(args) {
			return "", fmt.Errorf("%s needs a value", opt)
		}
		*i++
		return args[*i], nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var v string
		var err error
		switch a {
		case "-a", "-A", "-d":
			if v, err = next(&i, a); err != nil {
				return r, err
			}
			r.remove = a == "-d"
			act, list, ok := strings.Cut(v, ",")
			if !ok {
				return r, fmt.Errorf("%s %q: want ACTION,LIST", a, v)
			}
			// auditctl accepts both "always,exit" and "exit,always".
			if act == "exit" || act == "task" || act == "user" || act == "exclude" || act == "filesystem" || act == "io_uring" {
				act, list = list, act
			}
			if act != "always" && act != "never" {
				return r, fmt.Errorf("%s %q: unknown action %q", a, v, act)
			}
			r.action, r.list = act, list
		case "-S":
			if v, err = next(&i, a); err != nil {
				return r, err
			}
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					r.syscalls = append(r.syscalls, s)
				}
			}
		case "-F":
			if v, err = next(&i, a); err != nil {
				return r, err
			}
			f, val := splitField(v)
			switch f {
			case "path", "dir":
				r.fieldPath = val
			case "perm":
				r.perms = val
			case "key":
				r.key = val
			}
		case "-w", "-W":
			if v, err = next(&i, a); err != nil {
				return r, err
			}
			r.watch, r.remove = v, a == "-W"
		case "-p":
			if r.perms, err = next(&i, a); err != nil {
				return r, err
			}
		case "-k":
			if v, err = next(&i, a); err != nil {
				return r, err
			}
			if r.key != "" {
				r.key += ","
			}
			r.key += v
		case "-e":
			if r.enable, err = next(&i, a); err != nil {
				return r, err
			}
			r.control = true
		case "-b", "-f", "-r", "--backlog_wait_time", "--loginuid-immutable", "--reset-lost", "--signal":
			r.control = true
			if a != "--loginuid-immutable" && a != "--reset-lost" {
				if _, err = next(&i, a); err != nil {
					return r, err
				}
			}
		case "-D", "-i", "-c", "--reset_backlog_wait_time_actual":
			r.control = true
		case "-C":
			if _, err = next(&i, a); err != nil { // inter-field comparison
				return r, err
			}
		default:
			return r, fmt.Errorf("unknown option %q", a)
		}
	}
	if r.control && (r.action != "" || r.watch != "") {
		r.control = false
	}
	return r, nil
}

// splitField splits "name=value", "name!=value", "name>=value" … and
// returns the name and value.
func splitField(v string) (string, string) {
	i := strings.IndexAny(v, "=!<>&")
	if i < 0 {
		return v, ""
	}
	j := i
	for j < len(v) && strings.IndexByte("=!<>&", v[j]) >= 0 {
		j++
	}
	return v[:i], v[j:]
}

// splitRuleArgs splits on whitespace and strips one level of quotes.
func splitRuleArgs(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// capabilities are what the audit rules let a log show, reduced to what
// stage visibility needs.
type capabilities struct {
	known      bool // rules (log or file) or events told us anything
	exec       bool
	connect    bool
	accept     bool
	fileWrite  bool // write-ish syscalls audited for every path
	webWatch   bool // a watch on a web root
	persWatch  bool // a watch on cron, units, ssh keys, profiles, passwd
	accessLog  bool
	fromEvents bool // capabilities come from the events alone, not from rules
}

// writeSyscalls are syscalls whose auditing shows file writes anywhere.
var writeSyscalls = map[string]bool{
	"open": true, "openat": true, "openat2": true, "creat": true, "truncate": true, "ftruncate": true,
	"rename": true, "renameat": true, "renameat2": true, "write": true, "pwrite64": true,
}

// watchClass names what a watched path is evidence of: "web" for web
// roots, "persistence" for cron, units, keys and profiles, or "".
func watchClass(p string, webRoots []string) string {
	p = path.Clean(p)
	for _, r := range webRoots {
		if within(p, r) || within(r, p) && p != "/" {
			return "web"
		}
	}
	low := strings.ToLower(p)
	switch {
	case strings.Contains(low, "/www") || strings.Contains(low, "htdocs") || strings.Contains(low, "webapps") || strings.Contains(low, "/html"):
		return "web"
	case strings.Contains(low, "cron") || strings.Contains(low, "/spool/at") || strings.Contains(low, "systemd") ||
		strings.Contains(low, "/init.d") || strings.Contains(low, "rc.local") || strings.Contains(low, ".ssh") ||
		strings.Contains(low, "authorized_keys") || strings.Contains(low, "profile") || strings.Contains(low, "bashrc") ||
		strings.Contains(low, "/etc/passwd") || strings.Contains(low, "/etc/shadow") || strings.Contains(low, "sudoers") ||
		strings.Contains(low, "ld.so.preload"):
		return "persistence"
	}
	return ""
}

// keyHint is what a rule key suggests about its rule, for logs whose
// CONFIG_CHANGE records carry only key= and list=: best-practice rule sets
// name keys after what they watch (exec, network_connect_4, webroot_write,
// cron). A key can say "execve" or "web root watch"; it never proves it.
type keyHint struct {
	syscall string // "execve", "connect", "accept", "bind" or ""
	class   string // watch class: "web", "persistence" or ""
}

func hintOfKey(key string) keyHint {
	k := strings.ToLower(key)
	switch {
	case strings.Contains(k, "exec"):
		return keyHint{syscall: "execve"}
	case strings.Contains(k, "accept"):
		return keyHint{syscall: "accept"}
	case strings.Contains(k, "bind"):
		return keyHint{syscall: "bind"}
	case strings.Contains(k, "connect") || strings.Contains(k, "network") || strings.Contains(k, "socket") || k == "net":
		return keyHint{syscall: "connect"}
	case strings.Contains(k, "webroot") || strings.Contains(k, "www") || strings.Contains(k, "web_") ||
		strings.Contains(k, "htdocs") || strings.Contains(k, "webshell") || k == "web":
		return keyHint{class: "web"}
	case strings.Contains(k, "tool"):
		return keyHint{}
	case strings.Contains(k, "cron") || strings.Contains(k, "systemd") || k == "init" || strings.Contains(k, "ssh") ||
		strings.Contains(k, "authorized_keys") || strings.Contains(k, "rootkey") || strings.Contains(k, "profile") ||
		strings.Contains(k, "identity") || strings.Contains(k, "passwd") || strings.Contains(k, "persist") ||
		strings.Contains(k, "preload"):
		return keyHint{class: "persistence"}
	}
	return keyHint{}
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	dir = path.Clean(dir)
	if dir == "/" {
		return strings.HasPrefix(p, "/")
	}
	// p under dir: dir, then a slash (without making dir+"/": asked for
	// every kept file operation and web root)
	return p == dir || len(p) > len(dir) && p[len(dir)] == '/' && strings.HasPrefix(p, dir)
}
