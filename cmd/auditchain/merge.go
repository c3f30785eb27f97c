package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
)

const mergeSynopsis = `merge [flags] REPORT.json...

Makes one case of several JSON reports (auditchain scan --format json), one
per host partition of a fleet's archive: every host's chains and findings
renumbered (origin says where each came from), the summary recomputed,
every report's inputs and hashes kept, the merged reports listed with their
SHA-256, coverage per host, and ssh sessions linked across hosts: an ssh
client in host A's chain and the login it opened on host B, matched by
address, connection and time (observed, inferred or ambiguous, with the
reason). Hosts are known by their node names; --host-addr gives their
addresses. A file that is not a report, or a report of another major
version, is refused with its name and why.

Examples:
  auditchain merge --host-addr web01=10.0.0.11 --host-addr db01=10.0.0.12 web01.json db01.json
  auditchain merge --format html -o case.html reports/*.json`

// maxReportBytes bounds one report read by merge or diff: the schema check holds
// the whole document in memory, more than once.
const maxReportBytes = 1 << 30

type mergeFlags struct {
	reportFlags
	hostAddr []string
	skew     time.Duration
}

func runMerge(e *env, args []string) error {
	var f mergeFlags
	lnk := newGroup("Linking")
	lnk.fs.StringArrayVar(&f.hostAddr, "host-addr", nil, "a merged host's addresses, as `HOST=IP[,IP…]`, for ssh across hosts; repeatable")
	lnk.fs.DurationVar(&f.skew, "skew", report.DefaultSkew, "clock difference `DURATION` allowed between two hosts' records of one connection")
	rep, outg := f.groups("case", "reports")
	fs := newCommandFlags(e, "merge", mergeSynopsis, lnk, rep, outg)
	if err := fs.Parse(args); err != nil {
		if errHelp(err) != nil {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() == 0 {
		return usagef("want at least one report: merge REPORT.json...")
	}
	failOn, failNone, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	if f.skew < 0 {
		return usagef("--skew %s: want a duration of 0 or more", f.skew)
	}
	addrs, err := parseHostAddrs(f.hostAddr)
	if err != nil {
		return err
	}
	if _, err := report.NewWriter(f.format, report.Options{}); err != nil {
		return usagef("--format: %v", err)
	}
	if err := checkOutput(e, f.out, fs.Args()); err != nil {
		return err
	}
	in, err := readReports(fs.Args())
	if err != nil {
		return usagef("%v", err)
	}
	for _, m := range in { // a cut list is never silent
		if m.Doc.LoginsDropped > 0 {
			fmt.Fprintf(e.stderr, "auditchain merge: warning: %s lists only the first %d remote logins (%d more not listed): ssh into that host after them cannot be matched\n",
				m.Path, len(m.Doc.Logins), m.Doc.LoginsDropped)
		}
	}
	for _, h := range mapKeys(addrs) {
		if !slices.ContainsFunc(in, func(m report.MergeInput) bool { return slices.Contains(m.Doc.Hosts, h) }) {
			fmt.Fprintf(e.stderr, "auditchain merge: warning: --host-addr %s: no merged report names that host\n", h)
		}
	}
	mo := report.MergeOptions{
		Tool:        report.DocTool{Name: "auditchain", Version: toolVersion(), RulesVersion: rulesOf(in), BinarySHA256: binarySHA256()},
		CommandLine: e.args, HostAddrs: addrs, Skew: f.skew,
	}
	if f.caseName != "" || f.examiner != "" {
		mo.Case = &report.DocCase{Name: f.caseName, Examiner: f.examiner}
	}
	if f.reproducible {
		mo.Tool.BinarySHA256 = ""
	} else {
		mo.GeneratedAt = time.Now().UTC()
	}
	d, err := report.Merge(in, mo)
	if err != nil {
		return usagef("%v", err)
	}
	opts := report.Options{Reproducible: f.reproducible, Verbose: f.verbose,
		Color: f.out == "" && e.isTTY(e.stdout) && e.getenv("NO_COLOR") == ""}
	sum, err := writeReport(e, f.out, func(w io.Writer) error { return report.WriteDocument(w, f.format, d, opts) })
	if err != nil {
		return err
	}
	f.wrote(e, sum)
	if !failNone {
		n := 0
		for _, x := range d.Findings {
			if s, err := detect.ParseSeverity(x.Severity); err == nil && s >= failOn {
				n++
			}
		}
		if n > 0 {
			return &findingsError{n}
		}
	}
	return nil
}

// readReports reads and checks the reports on every core: the schema
// check costs about 0.3 s per MB of report, a fleet's reports add up. The
// first error in argument order is returned.
func readReports(paths []string) ([]report.MergeInput, error) {
	in := make([]report.MergeInput, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				in[i], errs[i] = readReport(paths[i])
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return in, nil
}

// readReport reads one report for merge and checks it against the
// contract: JSON, an auditchain report, of major version 1, valid against
// report/schema.json. The error names the file and the reason.
func readReport(p string) (report.MergeInput, error) {
	data, err := readReportBytes(p)
	if err != nil {
		return report.MergeInput{}, err
	}
	if err := checkContract(data); err != nil {
		return report.MergeInput{}, fmt.Errorf("%s: %w", p, err)
	}
	doc, err := report.ReadDocument(strings.NewReader(string(data)))
	if err != nil {
		return report.MergeInput{}, fmt.Errorf("%s: %w", p, err)
	}
	h := sha256.Sum256(data)
	return report.MergeInput{Path: p, SHA256: hex.EncodeToString(h[:]), Bytes: int64(len(data)), Doc: doc}, nil
}

// readReportBytes reads a report named to merge or diff: a regular file
// (a FIFO is refused, never opened blocking) of at most maxReportBytes,
// checked on the open descriptor and by the read itself (a file that grows
// while read is cut there and refused).
func readReportBytes(p string) ([]byte, error) {
	if st, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("%s: %v", p, bare(err))
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file: want a JSON report", p)
	}
	f, st, err := parser.OpenRegular(p) // the type again, on the descriptor
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p, bare(err))
	}
	defer f.Close()
	if st.Size() > maxReportBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a report may have", p, st.Size(), maxReportBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("%s: more than the %d bytes a report may have (it grew while read)", p, maxReportBytes)
	}
	return data, nil
}

// checkContract says what a file is when it is not a v1 report: not JSON,
// not a report, a report of another major version, or a v1 report that
// breaks the schema (every violation, with its JSON pointer).
func checkContract(data []byte) error {
	var head struct {
		Schema *string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("not a JSON report (%v): want `auditchain scan --format json` output", err)
	}
	const prefix = "auditchain.report/"
	switch {
	case head.Schema == nil:
		return fmt.Errorf("not an auditchain report: no \"schema\" field")
	case !strings.HasPrefix(*head.Schema, prefix):
		return fmt.Errorf("not an auditchain report: schema %q", *head.Schema)
	case majorOf(*head.Schema) != majorOf(report.SchemaVersion):
		return fmt.Errorf("report of an incompatible major version: schema %q, this merge reads %q", *head.Schema, report.SchemaVersion)
	}
	if err := report.ValidateJSON(data); err != nil {
		return fmt.Errorf("does not match the report contract %s: %v", report.SchemaVersion, err)
	}
	return nil
}

// majorOf is the major version of a schema name: "v1" of
// "auditchain.report/v1" and of a later "auditchain.report/v1.2".
func majorOf(schema string) string {
	_, v, _ := strings.Cut(schema, "/")
	v, _, _ = strings.Cut(v, ".")
	return v
}

// parseHostAddrs reads --host-addr HOST=IP[,IP…] into host → addresses.
func parseHostAddrs(vals []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, v := range vals {
		host, list, ok := strings.Cut(v, "=")
		if !ok || host == "" || list == "" {
			return nil, usagef("--host-addr %q: want HOST=IP[,IP…]", v)
		}
		for _, a := range strings.Split(list, ",") {
			ip := net.ParseIP(strings.TrimSpace(a))
			if ip == nil {
				return nil, usagef("--host-addr %q: %q is not an IP address", v, a)
			}
			out[host] = append(out[host], ip.String())
		}
	}
	return out, nil
}

// rulesOf is the rule-set version of the merged reports: theirs when they
// agree, else each one named.
func rulesOf(in []report.MergeInput) string {
	var vs []string
	for _, m := range in {
		if !slices.Contains(vs, m.Doc.Tool.RulesVersion) {
			vs = append(vs, m.Doc.Tool.RulesVersion)
		}
	}
	slices.Sort(vs)
	if len(vs) == 1 {
		return vs[0]
	}
	return "mixed: " + strings.Join(vs, ", ")
}

func mapKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
