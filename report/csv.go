package report

import (
	"cmp"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CSVWriter writes a Timesketch timeline: the required message, datetime
// and timestamp_desc columns, then ours. It opens with the summary (rows of
// data_type auditchain:summary, see csvSummaryRows), then has one row per
// source event of the findings — the matched events and their related
// events, so a chain's reverse-shell connect sits beside its exec — and one
// row per IOC, in time order.
//
// Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a
// leading apostrophe: the CSV is opened by people as well as imported, and
// the text is the attacker's. The JSON report keeps the exact bytes.
type CSVWriter struct {
	Options Options
}

// csvHeader names the columns; Timesketch requires the first three.
func csvHeader() []string {
	return []string{
		"message", "datetime", "timestamp", "timestamp_desc", "data_type",
		"host", "chain_id", "finding_ids", "rule_ids", "severity", "stage", "stage_id", "attack",
		"kind", "pid", "exe", "command_line", "user", "container_id",
		"file", "line", "serial", "raw",
	}
}

// csvRow is one event (or IOC) of the timeline.
type csvRow struct {
	at                            time.Time
	message, desc, dataType       string
	host, chain                   string
	findings, rules, attack       []string
	severity, stageID, kind       string
	stage, pid                    int
	exe, cmdline, user, container string
	file                          string
	line                          int
	serial                        uint64
	raw                           string
}

// Write implements Writer.
func (cw *CSVWriter) Write(w io.Writer, c *Case) error {
	return writeCSV(w, NewDocument(c, cw.Options))
}

// writeCSV writes the summary and timeline rows of a Document.
func writeCSV(w io.Writer, d *Document) error {
	rows := append(csvSummaryRows(d), csvRows(d)...)
	out := csv.NewWriter(w)
	if err := out.Write(csvHeader()); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{
			r.message, r.at.UTC().Format(time.RFC3339Nano), strconv.FormatInt(r.at.UnixMicro(), 10),
			r.desc, r.dataType, r.host, r.chain, strings.Join(r.findings, " "),
			strings.Join(r.rules, " "), r.severity, intOrEmpty(r.stage), r.stageID,
			strings.Join(r.attack, " "), r.kind, intOrEmpty(r.pid), r.exe, r.cmdline, r.user,
			r.container, r.file, intOrEmpty(r.line), uintOrEmpty(r.serial), r.raw,
		}
		last := len(rec) - 1 // raw: records one per line
		for i := range rec[:last] {
			rec[i] = csvSafe(sanitize(rec[i]))
		}
		rec[last] = csvSafe(csvRaw(rec[last]))
		if err := out.Write(rec); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

func csvRows(d *Document) []*csvRow {
	type key struct {
		file   string
		line   int
		serial uint64
	}
	byKey := map[key]*csvRow{}
	var rows []*csvRow
	for i := range d.Findings {
		f := &d.Findings[i]
		for _, ev := range f.Evidence {
			k := key{ev.File, ev.Line, ev.Serial}
			r := byKey[k]
			if r == nil {
				r = &csvRow{
					at: cmp.Or(ev.Time, f.Time), desc: "Event Time", dataType: "auditchain:event",
					host: f.Host, kind: ev.Kind, pid: ev.PID, file: ev.File, line: ev.Line,
					serial: ev.Serial, raw: ev.Raw, message: ev.Summary,
				}
				byKey[k] = r
				rows = append(rows, r)
			}
			if ev.Role == "event" && r.rules == nil {
				// The matched event speaks for the finding; the first finding
				// (report order) names the row.
				r.dataType = "auditchain:finding"
				r.message = "[" + f.Severity + "] " + f.Title + ": " + f.Summary
				r.severity, r.stage, r.stageID, r.attack = f.Severity, f.Stage, f.StageID, f.Attack
				r.chain = f.ChainID
				if p := f.Process; p != nil {
					r.pid, r.exe, r.cmdline, r.user, r.container = p.PID, p.Exe, strings.Join(p.Args, " "), p.User, p.ContainerID
				}
			}
			if ev.Role == "event" {
				r.rules = appendNew(r.rules, f.RuleID)
				for _, id := range f.RuleIDs { // every rule of the act
					r.rules = appendNew(r.rules, id)
				}
			}
			if r.chain == "" {
				r.chain = f.ChainID
			}
			r.findings = appendNew(r.findings, f.ID)
		}
	}
	// The chains' other processes (what the attacker's shell ran without a
	// rule matching) are events of the chain too: one row each, when first
	// seen.
	for i := range d.Chains {
		ch := &d.Chains[i]
		for _, n := range ch.Tree {
			if !n.InChain || n.Suspicious || n.Placeholder || n.FirstSeen.IsZero() {
				continue
			}
			rows = append(rows, &csvRow{
				at: n.FirstSeen, desc: "Process First Seen", dataType: "auditchain:process",
				message: "process " + n.Name + "[" + strconv.Itoa(n.PID) + "] " + strings.Join(n.Args, " "),
				host:    ch.Host, chain: ch.ID, kind: "process", pid: n.PID, exe: n.Exe,
				cmdline: strings.Join(n.Args, " "), user: n.User, container: ch.ContainerID,
			})
		}
	}
	for i := range d.IOCs {
		ioc := &d.IOCs[i]
		rows = append(rows, &csvRow{
			at: ioc.FirstSeen, desc: "IOC First Seen", dataType: "auditchain:ioc",
			message: "IOC " + ioc.Type + " " + ioc.Value, findings: ioc.FindingIDs, kind: "ioc-" + ioc.Type,
		})
	}
	slices.SortStableFunc(rows, func(a, b *csvRow) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.dataType, b.dataType),
			cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.serial, b.serial),
			cmp.Compare(a.message, b.message))
	})
	return rows
}

func appendNew(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// csvRaw escapes the raw records' control characters the way the text
// report does (every other cell goes through sanitize whole), so a
// spreadsheet or Timesketch shows auditd's enriched-field separator (0x1d)
// and an attacker's terminal escapes as visible \x1d, \x1b instead of
// invisible bytes. The line breaks between the records of one event stay:
// CSV quotes them, and they are how the raw column reads record by record
// (a record itself holds none). The JSON report keeps the exact bytes.
func csvRaw(s string) string {
	if isClean(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	return strings.Join(lines, "\n")
}

// csvSafe defuses spreadsheet formulas (CWE-1236).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func intOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func uintOrEmpty(n uint64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatUint(n, 10)
}
