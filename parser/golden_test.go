package parser

import (
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/internal/golden"
)

var update = flag.Bool("update", false, "rewrite .golden files")

// TestGolden reads each fixture (a file or a folder) and compares a dump of
// its events, per-input counts and errors, and process tree with
// <name>.golden. Raw and parsed stand side by side in the dump.
func TestGolden(t *testing.T) {
	cases := []string{
		"real_execve_forms.log", "raw_format.log", "node_serial_reuse.log",
		"syslog_forwarded.log", "out_of_order.log", "damaged.log", "rotated",
	}
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "auditd", name)
			ins, skipped := Resolve([]string{path}, nil)
			if len(skipped) > 0 {
				t.Fatalf("skipped: %v", skipped)
			}
			r := NewReader(ins, Options{Workers: 2})
			var b strings.Builder
			if err := r.All(func(ev *Event) { dumpEvent(&b, ev) }); err != nil {
				t.Fatal(err)
			}
			for _, in := range r.Inputs() {
				fmt.Fprintf(&b, "input %s format=%s compression=%q records=%d malformed=%d duplicates=%d bytes=%d sha256=%s\n",
					filepath.ToSlash(in.Path), in.Format, in.Compression, in.Records, in.Malformed, in.Duplicates, in.Bytes, in.SHA256)
				for _, e := range in.Errors.List {
					fmt.Fprintf(&b, "  error %s\n", filepath.ToSlash(e.Error()))
				}
			}
			dumpTree(&b, r.Tree())
			golden.Check(t, path+".golden", []byte(b.String()), *update)
		})
	}
}

func dumpEvent(b *strings.Builder, ev *Event) {
	q := func(s string) string { return strconv.QuoteToASCII(s) }
	fmt.Fprintf(b, "%s host=%s serial=%d kind=%s type=%s", ev.Time.Format("2006-01-02T15:04:05.000Z"), q(ev.Host), ev.Serial, ev.Kind, ev.RecordType)
	if ev.Syscall != "" {
		fmt.Fprintf(b, " syscall=%s/%s success=%t exit=%d", ev.Arch, ev.Syscall, ev.Success, ev.Exit)
	}
	if ev.PID != 0 {
		fmt.Fprintf(b, " pid=%d ppid=%d uid=%s euid=%s auid=%s ses=%s user=%s", ev.PID, ev.PPID, ev.UID, ev.EUID, ev.AUID, ev.SES, q(ev.User))
	}
	if ev.Exe != "" {
		fmt.Fprintf(b, " exe=%s comm=%s", q(ev.Exe), q(ev.Comm))
	}
	if ev.Args != nil {
		args := make([]string, len(ev.Args))
		for i, a := range ev.Args {
			if len(a) > 40 {
				a = fmt.Sprintf("%s…(%d bytes)", a[:20], len(a))
			}
			args[i] = q(a)
		}
		fmt.Fprintf(b, " args=[%s]", strings.Join(args, " "))
	}
	if ev.Cwd != "" {
		fmt.Fprintf(b, " cwd=%s", q(ev.Cwd))
	}
	if ev.Path != "" {
		fmt.Fprintf(b, " path=%s", q(ev.Path))
	}
	if ev.Peer.Family != "" {
		fmt.Fprintf(b, " peer=%s", ev.Peer)
	}
	if ev.Key != "" {
		fmt.Fprintf(b, " key=%s", q(ev.Key))
	}
	e := ev.FirstEvidence()
	fmt.Fprintf(b, "\n    @ %s serial=%d lines=%d\n", filepath.ToSlash(e.Pos.String()), e.Serial, strings.Count(e.Raw, "\n")+1)
}

func dumpTree(b *strings.Builder, t *Tree) {
	var walk func(p *Process, depth int)
	walk = func(p *Process, depth int) {
		cmd := p.CommandLine()
		if len(cmd) > 80 {
			cmd = cmd[:80] + "…"
		}
		fmt.Fprintf(b, "%s%d %s %q execs=%d placeholder=%t reparented=%t\n", strings.Repeat("  ", depth), p.Key.PID, p.Key.Host, cmd, len(p.Execs), p.Placeholder, p.Reparented)
		for _, c := range Descendants(p) {
			if c.Parent == p {
				walk(c, depth+1)
			}
		}
	}
	b.WriteString("tree\n")
	for _, r := range t.Roots() {
		walk(r, 1)
	}
}
