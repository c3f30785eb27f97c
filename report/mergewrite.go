package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteDocument renders a Document that was not built from a Case — a
// merged case (Merge) — in format, as NewWriter's writers render a scan.
// Text starts with the merged reports and the cross-host links, which
// the scan's text has no place for; NDJSON adds one line per cross-host
// link; JSON, HTML and CSV render the Document as they always do (the
// links are in the chains' links too).
func WriteDocument(w io.Writer, format string, d *Document, opts Options) error {
	switch Format(strings.ToLower(strings.TrimSpace(format))) {
	case "", FormatText:
		if err := writeMergeText(w, d, opts); err != nil {
			return err
		}
		return writeText(w, d, opts)
	case FormatJSON:
		return writeJSON(w, d)
	case FormatNDJSON:
		if err := writeNDJSON(w, d); err != nil {
			return err
		}
		return writeCrossNDJSON(w, d)
	case FormatHTML:
		restoreBytes(d)
		makeVisible(d)
		return writeHTML(w, d, opts)
	case FormatCSV:
		return writeCSV(w, d)
	}
	_, err := NewWriter(format, opts) // the same error as scan's
	return err
}

// writeMergeText is the merged case's own header: which reports, which
// hosts, and the ssh sessions that cross from one host to another.
func writeMergeText(w io.Writer, d *Document, opts Options) error {
	if len(d.Merged) == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "MERGED CASE — %d reports, hosts: %s\n", len(d.Merged), sanitize(strings.Join(d.Hosts, ", ")))
	for _, m := range d.Merged {
		fmt.Fprintf(bw, "  %s  sha256:%s  hosts %s, %d findings, %d chains, %s … %s\n",
			sanitize(m.Path), m.SHA256, sanitize(strings.Join(m.Hosts, ",")), m.Findings, m.Chains,
			fmtTime(m.FirstTime, opts.tz()), fmtTime(m.LastTime, opts.tz()))
	}
	for _, hc := range d.HostCoverage {
		c := hc.Coverage
		fmt.Fprintf(bw, "  coverage of %s: %d rules, syscalls %s, access log %v\n",
			sanitize(HostLabel(strings.Join(hc.Hosts, ","))), c.Rules, orNone(sanitize(strings.Join(c.Syscalls, ","))), c.AccessLog)
	}
	fmt.Fprintf(bw, "\nCROSS-HOST LINKS (%d)\n", len(d.CrossHost))
	if len(d.CrossHost) == 0 {
		fmt.Fprintln(bw, "  none: no ssh client of a chain matches a login on another merged host")
	}
	for _, x := range d.CrossHost {
		fmt.Fprintf(bw, "  %s [%s] %s on %s (%s %s) → ", x.ID, x.Basis, fmtTime(x.From.Time, opts.tz()),
			sanitize(HostLabel(x.From.Host)), orDash(x.From.ChainID), sanitize(x.From.Address))
		if x.To != nil {
			fmt.Fprintf(bw, "%s session %d (%s) from %s at %s\n", sanitize(HostLabel(x.To.Host)), x.To.Session,
				sanitize(orDash(x.To.Account)), sanitize(x.To.Address), fmtTime(x.To.Time, opts.tz()))
		} else {
			fmt.Fprintf(bw, "%d candidates:\n", len(x.Candidates))
			for _, c := range x.Candidates {
				fmt.Fprintf(bw, "      %s session %d (%s) from %s at %s\n", sanitize(HostLabel(c.Host)), c.Session,
					sanitize(orDash(c.Account)), sanitize(c.Address), fmtTime(c.Time, opts.tz()))
			}
		}
		fmt.Fprintf(bw, "      why: %s\n", sanitize(x.Reason))
		for _, side := range []*DocCrossEnd{&x.From, x.To} {
			if side == nil {
				continue
			}
			for _, e := range side.Evidence {
				fmt.Fprintf(bw, "      evidence %s: %s:%d", sanitize(HostLabel(side.Host)), sanitize(e.File), e.Line)
				if e.Serial > 0 {
					fmt.Fprintf(bw, " serial %d", e.Serial)
				}
				fmt.Fprintln(bw)
			}
		}
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

// writeCrossNDJSON writes one ECS line per cross-host link: event.kind
// event, category network and session, source and destination the two
// hosts' addresses, the account logged in as user.name.
func writeCrossNDJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range d.CrossHost {
		if err := enc.Encode(ecsCrossLink(&d.CrossHost[i])); err != nil {
			return err
		}
	}
	return nil
}
