package detect

import (
	"net/netip"
	"path"
	"strings"
)

// A blind injection shows nothing in the page, so the one who tests it
// makes the server call out: a fetch of their own URL, a DNS lookup of
// their own name. Such a command keeps nothing and sends nothing — no
// output file, no upload, no pipe into another program — so it transfers
// no tool and takes no data: run by the server itself (no shell between:
// a gadget's or an injected argv) it is the door being tested out of band
// (stillroom-savedview: a deserialized gadget's `curl -s -m 3
// http://…:8462/c?h=stillroom` as the JVM's own child, before anything was
// planted). A fetch that writes a file, posts data or feeds a shell is
// what it does, and placed by that.

// callbackProbe reports whether a simple command's words only call out:
// curl of a URL with no output, upload or config option; wget of a URL
// that only checks it (--spider) or prints it (-O -, -O /dev/null); a
// DNS lookup of a name. (A ping is left out: a network tool's own feature
// as often as a probe, and an address tells no one's server.)
func callbackProbe(words []string) bool {
	if len(words) < 2 {
		return false
	}
	switch path.Base(words[0]) {
	case "curl":
		return curlOnlyCalls(words[1:])
	case "wget":
		return wgetOnlyCalls(words[1:])
	case "nslookup", "dig", "host":
		for _, w := range words[1:] {
			if !strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "@") && strings.Contains(w, ".") {
				if _, err := netip.ParseAddr(w); err != nil {
					return true // a name looked up: answered by whoever holds the zone
				}
			}
		}
	}
	return false
}

// curlOnlyCalls: a URL and no option that writes a file, sends data or
// reads a config (a short-option cluster holding one of them counts).
func curlOnlyCalls(args []string) bool {
	url := false
	for _, a := range args {
		switch {
		case urlRE.MatchString(a) && !strings.HasPrefix(a, "-"):
			url = true
		case strings.HasPrefix(a, "--"):
			for _, o := range []string{"--output", "--remote-name", "--upload-file", "--data", "--form", "--config", "--json", "--create-dirs", "--dump-header", "--cookie-jar", "--trace"} {
				if strings.HasPrefix(a, o) {
					return false
				}
			}
		case strings.HasPrefix(a, "-") && strings.ContainsAny(a[1:], "oOTdFKDcu"):
			return false
		}
	}
	return url
}

// wgetOnlyCalls: a URL, checked (--spider) or printed (-O -, -O
// /dev/null, -qO-), and nothing posted: wget saves what it fetches
// otherwise.
func wgetOnlyCalls(args []string) bool {
	url, keeps := false, true
	for i, a := range args {
		switch {
		case urlRE.MatchString(a) && !strings.HasPrefix(a, "-"):
			url = true
		case a == "--spider":
			keeps = false
		case strings.HasPrefix(a, "--post"), strings.HasPrefix(a, "--body"), strings.HasPrefix(a, "--method"):
			return false
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, "O"):
			if i+1 < len(args) && (args[i+1] == "-" || args[i+1] == "/dev/null") {
				keeps = false
			}
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && (strings.HasSuffix(a, "O-") || strings.HasSuffix(a, "O/dev/null")):
			keeps = false
		case a == "--output-document=-" || a == "--output-document=/dev/null":
			keeps = false
		}
	}
	return url && !keeps
}
