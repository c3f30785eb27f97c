package report

import (
	"strconv"
	"syscall"

	"github.com/auditchain/auditchain/parser"
	"golang.org/x/sys/unix"
)

// Outcomes of a finding's act, in ECS's words (event.outcome), so the JSON
// and NDJSON say the same thing.
const (
	OutcomeSuccess = "success" // the syscall returned success: the act took effect
	OutcomeFailure = "failure" // the syscall failed: an attempt, nothing was done
	OutcomeUnknown = "unknown" // no syscall result (access log, sensors) or none yet
)

// einprogress is what a non-blocking connect returns at once; the log never
// says whether the connection was then made.
const einprogress = 115

// outcome says whether the act of ev took effect, and why when it did not.
// auditd's syscall records carry a result, and an access log's line its
// status; everything else is unknown rather than assumed done.
func outcome(ev *parser.Event) (result, reason string) {
	if ev != nil && ev.Kind == parser.KindHTTP && ev.HTTP != nil && ev.HTTP.Status > 0 {
		// a request's act is the server's answer: refused (4xx) or
		// failed (5xx) is an attempt
		if ev.HTTP.Status >= 400 {
			return OutcomeFailure, "HTTP " + strconv.Itoa(ev.HTTP.Status)
		}
		return OutcomeSuccess, ""
	}
	if ev == nil || ev.Source != parser.FormatAuditd || ev.Syscall == "" {
		return OutcomeUnknown, ""
	}
	if ev.Success {
		return OutcomeSuccess, ""
	}
	errno := -ev.Exit
	if errno == einprogress {
		return OutcomeUnknown, "EINPROGRESS: a non-blocking " + ev.Syscall + " whose result the log does not record"
	}
	return OutcomeFailure, errnoText(errno)
}

// errnoText names a Linux errno as "EACCES (permission denied)". The
// numbers are Linux's generic ones, which every architecture auditd runs on
// shares for the errors that matter here (permissions, missing files,
// refused connections).
func errnoText(errno int64) string {
	if errno <= 0 || errno > 4095 {
		return "exit " + strconv.FormatInt(-errno, 10)
	}
	e := syscall.Errno(errno)
	if name := unix.ErrnoName(e); name != "" {
		return name + " (" + e.Error() + ")"
	}
	return "errno " + strconv.FormatInt(errno, 10)
}

// attemptSummary words the act of a failed event as the attempt it was.
func attemptSummary(summary, reason string) string {
	return "attempted " + summary + " — failed: " + reason
}
