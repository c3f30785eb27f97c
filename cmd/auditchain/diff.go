package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/auditchain/auditchain/report"
)

const diffSynopsis = `diff [flags] OLD.json NEW.json

Compares two JSON reports (auditchain scan --format json): new and gone
chains and findings, matched by content rather than by id, stages newly
reached, and a line diff of the two text renderings. Exit status 1 when
something new reaches --fail-on (default high): for nightly batch scans and
before/after containment.

Examples:
  auditchain diff yesterday.json today.json
  auditchain diff --fail-on critical --format json before.json after.json`

func runDiff(e *env, args []string) error {
	var failOn, format string
	out := newGroup("Output")
	out.fs.StringVar(&failOn, "fail-on", "high", "exit 1 when a new finding has at least `SEVERITY` (or none)")
	out.fs.StringVar(&format, "format", "text", "`FORMAT`: text or json")
	fs := newCommandFlags(e, "diff", diffSynopsis, out)
	if err := fs.Parse(args); err != nil {
		if errHelp(err) != nil {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() != 2 {
		return usagef("want two reports: diff OLD.json NEW.json")
	}
	sev, none, err := parseFailOn(failOn)
	if err != nil {
		return err
	}
	docs := make([]*report.Document, 2)
	for i, p := range fs.Args() {
		// bounded and never blocking, as merge reads: a report is as
		// untrusted as the logs it was made from (a 24 GB one filled the
		// memory, a FIFO waited for ever)
		data, err := readReportBytes(p)
		if err != nil {
			return usagef("%v", err)
		}
		docs[i], err = report.ReadDocument(bytes.NewReader(data))
		if err != nil {
			return usagef("%s: %v", p, err)
		}
	}
	res := report.Diff(docs[0], docs[1], report.Options{})
	switch format {
	case "json":
		if err := writeJSON(e.stdout, res); err != nil {
			return err
		}
	case "text":
		if err := res.WriteText(e.stdout, report.Options{}); err != nil {
			return err
		}
	default:
		return usagef("--format %q: want text or json", format)
	}
	if !none && res.HasNewAtOrAbove(sev) {
		return &findingsError{1}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	return nil
}
