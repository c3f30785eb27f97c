package detect

import (
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/auditchain/auditchain/parser"
)

// at(1) reads the job it queues from its standard input, so its own argv
// (`at -q s now + 2 minutes`) says when, never what. When the shell that
// ran it fed it from echo or printf in the same pipeline (`echo '…' | at
// now + 2 minutes`), the job is on that shell's command line: observed,
// not guessed. A web application that schedules its own work this way (a
// booking's confirmation mail two minutes later: benign-shop-spokeworks)
// queues one of its installed programs with data arguments; an intruder's
// job brings its own code: a shell one-liner, a download, a reverse
// shell, a file the intrusion wrote, something in a temporary folder. The
// persistence-shaped act whose job adds no code is the application's
// scheduling, and is judged as such; a job whose text is not known (at
// -f FILE, a heredoc, stdin from elsewhere) is judged as before.

// queuedJob is a job at queued, as the shell that fed it shows it.
type queuedJob struct {
	text   string   // what at read: the job
	writes []string // the files that shell's own commands write
}

// queuedJobText returns the job a job queue program (at, batch) exec'd by
// ev gets on its standard input from an echo or printf piped into it by
// its parent shell; ok is false when the log does not show it.
func queuedJobText(ev *parser.Event, p *parser.Process) (queuedJob, bool) {
	if p == nil || p.Parent == nil {
		return queuedJob{}, false
	}
	prog := path.Base(ev.Exe)
	if ev.Kind != parser.KindExec {
		prog = path.Base(p.Exe)
	}
	if prog != "at" && prog != "batch" {
		return queuedJob{}, false
	}
	cmd, ok := shellCommand(p.Parent.Exe, p.Parent.Args)
	if !ok {
		return queuedJob{}, false
	}
	var prev []string
	var job queuedJob
	prevSep, found := "", false
	separated(cmd, func(words []string, sep string) bool {
		job.writes = append(job.writes, editedFiles(words[0], words)...)
		if b := path.Base(words[0]); !found && (b == "at" || b == "batch") && prevSep == "|" && len(prev) > 1 {
			job.text, found = feederText(prev)
		}
		prev, prevSep = words, sep
		return true
	})
	job.writes = append(job.writes, shellRedirects(cmd)...)
	return job, found
}

// feederText is what echo or printf with words prints, when plain: echo
// without options, printf with a format holding no conversion.
func feederText(words []string) (string, bool) {
	switch path.Base(words[0]) {
	case "echo":
		if strings.HasPrefix(words[1], "-") {
			return "", false
		}
		return strings.Join(words[1:], " "), true
	case "printf":
		if len(words) != 2 || strings.Contains(words[1], "%") {
			return "", false
		}
		return strings.ReplaceAll(words[1], `\n`, "\n"), true
	}
	return "", false
}

// ordinaryJob reports whether a queued job's text runs one program with
// plain arguments and brings no code of its own: one simple command (no
// separator, pipe, substitution or redirection), nothing placement would
// call suspicious (temporary folders, interpreters' -c/-e, downloads,
// decoding, secrets: classify), and among its words no file written
// during the log as far as it shows: in web context, by a command the
// intrusion ran (a flagged write), or by the very shell that queued it
// (berthplan-rules: `base64 -d > tw.sh && echo /bin/sh tw.sh | at now`).
func (s *state) ordinaryJob(host string, job queuedJob) bool {
	text := strings.TrimSpace(job.text)
	if text == "" || strings.ContainsAny(text, "<>`$") || shellSyntax(text) || strings.Contains(text, "\n") || classify(text) != classNone {
		return false
	}
	var words []string
	n := 0
	separated(text, func(w []string, _ string) bool {
		words = w
		n++
		return n < 2
	})
	if n != 1 || len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !strings.HasPrefix(w, "/") {
			continue
		}
		c := path.Clean(w)
		if s.writtenBy(host, c) != "" {
			return false
		}
		if _, ok := s.flagged.m[writeKey{host, c}]; ok {
			return false
		}
		for _, o := range job.writes {
			if path.Clean(o) == c {
				return false
			}
		}
	}
	return true
}

// appSchedulingWhy is the reason a queued job's act is judged low.
func appSchedulingWhy(text string) string {
	return "; the job it queues is on the command line that fed it to at (observed): " + clipText(text, 160) +
		": one program with plain arguments, no file the web side wrote during the log, nothing suspicious in it: the application scheduling its own work, which adds no code of its own (low)"
}

// clipText quotes s (Go syntax: no control character reaches a report),
// cut to at most n bytes on a character boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "…"
}
