package timeline

import (
	"path"
	"regexp"
	"sort"
	"strings"
)

// A command template is a command line with what varies from one run of
// the same routine to the next abstracted: numbers, hashes and hex, UUIDs,
// the names of files passed as arguments (quoted or not) and anything under
// a temporary directory. What is left is the command's shape: the programs
// it runs, their options, fixed words and the directories it touches. A
// web application's thumbnailer run for two pictures is one template; an
// attacker's `id` and `uname -a` are two, and so are two different URLs or
// addresses (IPv4 addresses and host names are kept as they are: where a
// command connects is part of what it is).

// maxTemplate bounds a template's length: a longer command line is cut
// (with "…"), so one huge argv cannot blow up the routine tables.
const maxTemplate = 512

var (
	reUUID = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	// reHex: hashes, nonces, hex ids: 8 or more hex digits holding a digit
	// and a letter a–f (so that plain words and plain numbers are left to
	// the other rules); longer than 64, reLongHex keeps them
	reHex  = regexp.MustCompile(`(?i)\b(?:[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*|[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*)\b`)
	reIPv4 = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
	reNum  = regexp.MustCompile(`\d+`)
	// reLongHex: longer than a SHA-256, an encoded payload, kept as it is
	reLongHex = regexp.MustCompile(`(?i)[0-9a-f]{65,}`)
)

// tempDirs are the directories whose entries are throw-away names
// (mktemp, PHP uploads, per-request spools).
var tempDirs = []string{"/tmp/", "/var/tmp/", "/dev/shm/", "/run/user/", "/var/lib/php/sessions/"}

// templateCache memoizes commandTemplate: a long log repeats the same
// command lines (health checks, the same attack replayed) thousands of
// times, and templating is regular-expression work. Bounded: it starts
// over when full.
type templateCache map[string]string

const maxTemplateCache = 1 << 16

func (c templateCache) of(args []string) string {
	k := strings.Join(args, "\x00")
	if t, ok := c[k]; ok {
		return t
	}
	if len(c) >= maxTemplateCache {
		clear(c)
	}
	t := commandTemplate(args)
	c[k] = t
	return t
}

// commandTemplate returns the template of a command line given as argv.
// A list of files of any length is one shape: adjacent equal words
// (`<file>.png <file>.png`) are written once (a pack of one picture and a
// pack of five are the same routine).
func commandTemplate(args []string) string {
	var b strings.Builder
	last, n := "", 0
	script := len(args) > 0 && interpreterName(path.Base(args[0])) // its first operand is the program it runs
	lookup := len(args) > 0 && lookupTools[path.Base(args[0])]
	for i, a := range args {
		var t string
		switch {
		case i == 0 || args[i-1] == "-c" || strings.ContainsAny(a, " \t\n") && !argvPath(a):
			t = textTemplate(a) // the program, or shell text
		case script && a != "" && a[0] != '-':
			t, script = wordTemplate(a, true), false
		case lookup && lookupSubject(a):
			t = "<name>"
		default:
			t = argvWordTemplate(a) // one argument of an argv array
		}
		if n > 0 && t == last {
			continue
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		last, n = t, n+1
		if b.Len() > maxTemplate {
			break
		}
	}
	s := b.String()
	if len(s) > maxTemplate {
		s = strings.ToValidUTF8(s[:maxTemplate], "") + "…"
	}
	return s
}

// textTemplate abstracts one argument, which may be a whole shell command
// (`sh -c '…'`): word by word, the first word of each command kept as the
// program it names.
func textTemplate(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	out := make([]string, len(words))
	program := true // the next word names a program
	lookup := false // the command's program is a lookup tool
	for i, w := range words {
		switch {
		case program:
			lookup = lookupTools[path.Base(strings.Trim(w, `'"`))]
			out[i] = wordTemplate(w, true)
		case lookup && lookupSubject(strings.Trim(w, `'"`)) && (w[0] != '\'' && w[0] != '"' || len(w) > 1 && w[len(w)-1] == w[0]):
			q := ""
			if w[0] == '\'' || w[0] == '"' {
				q = w[:1]
			}
			out[i] = q + "<name>" + q
		default:
			out[i] = wordTemplate(w, false)
		}
		program = strings.HasSuffix(w, ";") || strings.HasSuffix(w, "|") || strings.HasSuffix(w, "&") ||
			w == "&&" || w == "||" || w == "|" || w == ";" || w == "&"
	}
	return strings.Join(out, " ")
}

// wordTemplate abstracts one word. A program's own name is kept (only a
// temporary path or the numbers in it are abstracted); a file argument
// keeps its directory and extension, not its name.
func wordTemplate(w string, program bool) string {
	q, inner := "", w
	if len(w) >= 2 && (w[0] == '\'' || w[0] == '"') && w[len(w)-1] == w[0] {
		q, inner = w[:1], w[1:len(w)-1]
	}
	if strings.Contains(inner, "/") && !strings.Contains(inner, "://") && !strings.ContainsAny(inner, shellMeta) {
		return q + pathTemplate(inner, program) + q
	}
	if !program && bareFileName(inner) {
		// a file named without its folder (zip's list, cwd-relative):
		// its name is data, its kind is not
		return q + "<file>" + kindOf(extOf(inner)) + q
	}
	return q + scalarTemplate(inner) + q
}

// A lookup tool connects to its server (a DNS tool to its resolver, the
// system's or the @server it is given; whois to the registry's server, the
// one -h names or the one the name's suffix selects), never to the name it
// looks up: that name is the data of one run (the domain of an address a
// customer typed, checked for a mail server or a registration), so it is
// abstracted as a file's name is. The server and the record type stay:
// where the tool connects is part of what it is.
var lookupTools = map[string]bool{"dig": true, "host": true, "nslookup": true, "drill": true, "kdig": true, "delv": true, "whois": true}

// lookupSubject reports whether a word is a domain name a lookup tool is
// given: labels of letters, digits and hyphens joined by dots, no option,
// no @server, no shell syntax.
func lookupSubject(w string) bool {
	if len(w) < 3 || len(w) > 253 || w[0] == '-' || w[0] == '.' || !strings.Contains(w, ".") || reIPv4.MatchString(w) {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

// argvPath reports whether one argument of an argv array is a file path
// that holds spaces or parentheses ("…/Baugrube Nord (4403).jpg"): one
// word, the file's name data, since no shell reads it. What would make it
// more than a name if a shell ever did (a substitution, a separator, a
// redirection, a newline) keeps it as text.
func argvPath(a string) bool {
	return strings.HasPrefix(a, "/") && !strings.ContainsAny(a, argvMeta)
}

// argvMeta is shellMeta without the parentheses: in an argument no shell
// reads, "(1)" in a file's name is data, while "$(" or a backtick is
// still an injection's mark.
const argvMeta = "$`;|&<>{}\\\n"

// argvWordTemplate abstracts one argument of an argv array: a file path
// with spaces or parentheses in its name is a path.
func argvWordTemplate(a string) string {
	if argvPath(a) && strings.ContainsAny(a, " \t()") {
		t := pathTemplate(a, false)
		if dir, base := path.Split(t); strings.ContainsAny(base, " \t()") {
			// a name with no extension: still one file's name
			return dir + "<file>"
		}
		return t
	}
	return wordTemplate(a, false)
}

// bareFileName reports whether a word is a file's name without a folder:
// a name and an extension, no option dash, no shell syntax, and not a
// host name (where a command connects is part of what it is).
func bareFileName(w string) bool {
	e := extOf(w)
	if e == "" || len(w) == len(e) || w[0] == '-' || strings.ContainsAny(w, shellMeta+":=@,*?[]'\"") || reIPv4.MatchString(w) {
		return false
	}
	if strings.Trim(w, "0123456789.") == "" {
		return false // a version (4.2.1): a number, whatever its dots
	}
	return !hostSuffixes[strings.ToLower(e[1:])]
}

// hostSuffixes are top-level domains common enough that a word ending in
// one is more likely a host than a file.
var hostSuffixes = map[string]bool{
	"com": true, "net": true, "org": true, "io": true, "info": true, "biz": true, "ru": true, "cn": true,
	"de": true, "uk": true, "fr": true, "nl": true, "xyz": true, "top": true, "local": true, "lan": true,
	"internal": true, "onion": true, "cloud": true, "site": true, "online": true, "me": true, "co": true,
	"us": true, "eu": true, "app": true, "dev": true, "lab": true, "corp": true, "home": true, "arpa": true,
}

// shellMeta are the characters that make a word more than a name: a word
// holding one (`/srv/media/$(id).png`) keeps its words, so that what an
// injection adds to a routine command is never abstracted away.
const shellMeta = "$`;|&<>(){}\\\n"

// pathTemplate abstracts a file path (with a possible `>`, `2>` or
// `--opt=` prefix).
func pathTemplate(p string, program bool) string {
	pre := ""
	if i := strings.IndexByte(p, '/'); i > 0 {
		pre, p = p[:i], p[i:]
	}
	for _, t := range tempDirs {
		if strings.HasPrefix(p, t) {
			return scalarTemplate(pre) + t + "<tmp>" + kindOf(extOf(p))
		}
	}
	dir, base := path.Split(p)
	dir = scalarTemplate(dir)
	sel := "" // a selector after the name (ImageMagick's "x.jpg[0]")
	if i := strings.IndexByte(base, '['); i > 0 && strings.HasSuffix(base, "]") && extOf(base[:i]) != "" {
		base, sel = base[:i], scalarTemplate(base[i:])
	}
	if !program && base != "" && extOf(base) != "" {
		return scalarTemplate(pre) + dir + "<file>" + kindOf(extOf(base)) + sel
	}
	base += sel
	return scalarTemplate(pre) + dir + scalarTemplate(base)
}

// extOf is a file name's extension when it looks like one (short, letters
// and digits), else "".
func extOf(p string) string {
	e := path.Ext(p)
	if len(e) < 2 || len(e) > 6 {
		return ""
	}
	for _, r := range e[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return strings.ToLower(e) // IMG_4411.JPG and site.jpg are the same kind
}

// mediaKinds groups the extensions of plain media, whose container is one
// run's data: the shop's converter takes a seller's WAV, FLAC or MP3 as it
// comes (benign-shop-needledrop: one sox routine made three templates, none
// frequent enough to be one). What a format can run stays its own kind:
// SVG and PostScript hold code for the tools that read them (ImageMagick's
// delegates), and a script's extension is never a medium.
var mediaKinds = map[string]string{
	".jpg": ".<image>", ".jpeg": ".<image>", ".png": ".<image>", ".gif": ".<image>", ".webp": ".<image>",
	".bmp": ".<image>", ".tif": ".<image>", ".tiff": ".<image>", ".heic": ".<image>", ".heif": ".<image>", ".avif": ".<image>",
	".wav": ".<audio>", ".flac": ".<audio>", ".mp3": ".<audio>", ".ogg": ".<audio>", ".oga": ".<audio>", ".opus": ".<audio>",
	".m4a": ".<audio>", ".aac": ".<audio>", ".aif": ".<audio>", ".aiff": ".<audio>", ".wma": ".<audio>",
	".mp4": ".<video>", ".m4v": ".<video>", ".mov": ".<video>", ".mkv": ".<video>", ".webm": ".<video>", ".avi": ".<video>",
	".mpg": ".<video>", ".mpeg": ".<video>",
}

// kindOf is an extension's kind in a template: its media kind, or itself.
func kindOf(ext string) string {
	if k, ok := mediaKinds[ext]; ok {
		return k
	}
	return ext
}

// scalarTemplate abstracts UUIDs, hex runs and numbers, keeping IPv4
// addresses and hex runs longer than a hash (an encoded payload) as they
// are.
func scalarTemplate(s string) string {
	if s == "" {
		return s
	}
	keep := append(reIPv4.FindAllStringIndex(s, -1), reLongHex.FindAllStringIndex(s, -1)...)
	if len(keep) == 0 {
		return abstractScalars(s)
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i][0] < keep[j][0] })
	var b strings.Builder
	last := 0
	for _, k := range keep {
		if k[0] < last {
			continue // overlapping: the earlier span holds it
		}
		b.WriteString(abstractScalars(s[last:k[0]]))
		b.WriteString(s[k[0]:k[1]])
		last = k[1]
	}
	b.WriteString(abstractScalars(s[last:]))
	return b.String()
}

func abstractScalars(s string) string {
	s = reUUID.ReplaceAllString(s, "<uuid>")
	s = reHex.ReplaceAllStringFunc(s, func(m string) string {
		if len(m) < 8 {
			return m
		}
		return "<hex>"
	})
	return reNum.ReplaceAllString(s, "<n>")
}

// constantText reports whether a template holds text of its own besides
// placeholders and punctuation: a letter outside "<…>".
func constantText(t string) bool {
	depth := 0
	for _, r := range t {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
		case depth == 0 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			return true
		}
	}
	return false
}
