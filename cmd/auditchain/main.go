// Command auditchain analyzes the logs of a compromised Linux web server:
// auditd and container runtime logs in, process trees, findings and the
// eight-stage attack chain out, as text, HTML or JSON evidence reports.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses (DESIGN.md): 2 for a usage error or when no input could be
// read, 1 when there are findings at or above --fail-on, else 0.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// usageError is a mistake in the command line: exit 2 with the message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// findingsError reports findings at or above --fail-on: exit 1, no message.
type findingsError struct{ n int }

func (e *findingsError) Error() string { return fmt.Sprintf("%d findings at or above --fail-on", e.n) }

// env is what a subcommand may touch: no globals, so tests run commands in
// parallel with their own streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// terminal is the real stderr, for the progress bar: stderr escapes
	// what it prints (escapingWriter), the bar's own control codes too.
	terminal io.Writer
	args     []string // the whole command line, for the report
	isTTY    func(w io.Writer) bool
	getenv   func(string) string
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"scan", "find the attack: findings and the eight-stage chains, as a report", runScan},
		{"tree", "print the process trees of the logs", runTree},
		{"rules", "list the detection rules, or test one rule file on logs", runRules},
		{"diff", "compare two JSON reports", runDiff},
		{"merge", "make one case of several hosts' JSON reports, ssh across hosts linked", runMerge},
		{"version", "print the version of the tool and its rules", runVersion},
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: escapingWriter{stderr}, terminal: stderr,
		args: append([]string{"auditchain"}, args...), isTTY: isTerminal, getenv: os.Getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		topUsage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(e, args[1:])
		var ue *usageError
		var fe *findingsError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, pflag.ErrHelp):
			return exitOK
		case errors.As(err, &fe):
			return exitFindings
		case errors.As(err, &ue):
			fmt.Fprintf(e.stderr, "auditchain %s: %v\n", c.name, err)
			fmt.Fprintf(e.stderr, "Run 'auditchain %s --help' for usage.\n", c.name)
			return exitUsage
		default:
			fmt.Fprintf(e.stderr, "auditchain %s: %v\n", c.name, err)
			return exitUsage
		}
	}
	fmt.Fprintf(e.stderr, "auditchain: unknown command %q\n", args[0])
	topUsage(stderr)
	return exitUsage
}

func topUsage(w io.Writer) {
	fmt.Fprint(w, `auditchain — offline forensic analyzer for Linux audit and container logs

Usage:
  auditchain COMMAND [flags] PATH...

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
PATH is a file, a folder (searched recursively), a glob or - for stdin.
Plain, .gz and .zst files are read; formats are recognized from content.

Examples:
  auditchain scan /evidence/var/log/audit/            # the attack, as text
  auditchain scan --format html -o report.html logs/  # a self-contained HTML report
  auditchain tree --pid 15509 audit.log               # one process, its ancestry and descendants

Run 'auditchain COMMAND --help' for the flags of a command.
`)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// errHelp returns pflag.ErrHelp when err is it, so callers can pass --help
// through as a success.
func errHelp(err error) error {
	if errors.Is(err, pflag.ErrHelp) {
		return pflag.ErrHelp
	}
	return nil
}
