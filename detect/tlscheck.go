package detect

import (
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// A TLS client is a channel only when something on the host is wired to
// its socket: a shell or interpreter reading what it receives, or feeding
// it (`openssl s_client … | sh | openssl s_client …`, a fifo). Fed
// nothing — stdin from /dev/null, a here-string or an echo — and read by
// a text filter (openssl x509 -enddate, grep, awk), it fetches a
// certificate and closes: the expiry check every site runs. The
// principle is the wiring, not the command: any relay is judged the same.

// tlsClientRE finds the uses of openssl's TLS client.
var tlsClientRE = lazydfa.MustCompile(`(^|[\s;|&(/])openssl\s+s_client\b`)

// nullInputRE: the segment's input is empty: redirected from /dev/null, a
// here-string, or an echo/printf/true piped in before the client.
var nullInputRE = lazydfa.MustCompile(`s_client\b[^|;&]*(<\s*/dev/null|<<<)|(^|[\s;|&(])(echo|printf|true|:)\b[^|;&]*\|\s*(\S*/)?(timeout\s+(-\S+\s+)*\S+\s+)?openssl\s+s_client\b`)

// textFilters are the programs a check pipes the client's output into.
var textFilters = map[string]bool{"openssl": true, "grep": true, "egrep": true, "fgrep": true, "awk": true, "gawk": true, "mawk": true,
	"sed": true, "head": true, "tail": true, "cut": true, "tr": true, "sort": true, "wc": true, "cat": true, "date": true}

// tlsCheckOnly reports whether a shell command uses openssl's TLS client
// only to check a certificate — every use fed nothing and read by text
// filters (or by nothing) — and does nothing else of note (what remains
// once those pipelines are set aside classifies as plain execution).
func tlsCheckOnly(cmd string) bool {
	if !strings.Contains(cmd, "s_client") || !tlsClientRE.MatchString(cmd) || strings.Contains(cmd, "mkfifo") {
		return false
	}
	var rest []string
	for _, seg := range splitSequence(cmd) {
		if !tlsClientRE.MatchString(seg) {
			rest = append(rest, seg)
			continue
		}
		if !nullInputRE.MatchString(seg) {
			return false
		}
		stages := strings.Split(seg, "|")
		i := slices.IndexFunc(stages, func(s string) bool { return tlsClientRE.MatchString(s) })
		for _, st := range stages[i+1:] {
			f := strings.Fields(st)
			if len(f) == 0 || !textFilters[path.Base(f[0])] || (path.Base(f[0]) == "openssl" && len(f) > 1 && f[1] != "x509") {
				return false // read by a shell, an interpreter, a relay …
			}
		}
	}
	return len(rest) == 0 || classify(strings.Join(rest, " ; ")) == classNone
}

// splitSequence splits a shell command at ; && || and newlines, keeping
// pipelines whole.
func splitSequence(cmd string) []string {
	var out []string
	for _, s := range seqSepRE.Split(cmd, -1) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var seqSepRE = lazydfa.MustCompile(`\s*(?:;|&&|\|\||\n)\s*`)

// tlsCheckProcess reports whether p is openssl's TLS client run by a shell
// whose command is such a check (the client's own argv shows no input).
func tlsCheckProcess(p *parser.Process) bool {
	if p == nil || path.Base(p.Exe) != "openssl" || !slices.Contains(p.Args, "s_client") || p.Parent == nil {
		return false
	}
	sc, ok := shellCommand(p.Parent.Exe, p.Parent.Args)
	return ok && tlsCheckOnly(sc)
}
