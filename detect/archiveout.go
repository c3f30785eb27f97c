package detect

import (
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

// A task or a reverse shell's command that writes an archive to its
// standard output sends the archive to whoever reads that output: the
// implant that ran the task posts it back, the reverse shell's socket
// carries it (docket-exhibit: `tar -czf - -C / srv/docket/conf …
// etc/shadow` as a task of a git-polling implant, its output committed
// and pushed). Inside a channel that is exfiltration over it (T1041),
// not one more task. Written to a file instead, it is staging, placed as
// such; piped into a sender, feedRE's.

// archiveOutRE: tar creating to "-" (tar -czf -, tar czf -), zip's
// archive named "-", cpio in copy-out mode (which writes to stdout).
var archiveOutRE = lazydfa.MustCompile(`(^|[\s;|&(/])(tar\s+-?[A-Za-z]*c[A-Za-z]*f\s*-(\s|$)|zip\s+(-\S+\s+)*-\s|cpio\s+(-[A-Za-z]*o|--create))`)

// fileRedirectRE: an output redirection into a path (/dev/shm is a
// folder: a file there is staged too).
var fileRedirectRE = lazydfa.MustCompile(`>>?\|?\s*/`)

// archiveToStdout reports whether a command writes an archive to its
// standard output and redirects nothing into a file (the null device,
// the terminal's and a socket's names are no file).
func archiveToStdout(cmd string) bool {
	if !archiveOutRE.MatchString(cmd) {
		return false
	}
	for _, r := range []string{"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tcp/", "/dev/udp/"} {
		cmd = strings.ReplaceAll(cmd, r, "")
	}
	return !fileRedirectRE.MatchString(cmd)
}
