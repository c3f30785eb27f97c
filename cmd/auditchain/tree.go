package main

import (
	"fmt"
	"io"
	"time"

	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
)

const treeSynopsis = `tree [flags] PATH...

Prints the process trees that the logs show. A process is one node per
(host, pid, start): a reused pid is a new node, successive execs in one
process are its exec history, and a parent seen only as a ppid is marked
"seen only as a parent". Workers that daemons fork without exec (php-fpm,
nginx) are known from their own syscalls.

With --pid or --stats, the trees' memory stays bounded whatever the size
of the logs: past --max-processes, the subtrees quiet longest wait in a
temporary file ($TMPDIR, deleted as it is made) and come back when the logs
name them again. Drawing every tree needs them all in memory.

Examples:
  auditchain tree audit.log
  auditchain tree --pid 15509 audit.log              # ancestry + descendants of each pid 15509
  auditchain tree --since 10m --format json /var/log/audit/
  auditchain tree --stats big-audit.log              # counts and timings only`

type treeFlags struct {
	in     inputFlags
	mem    memoryFlag
	pid    int
	format string
	out    string
	stats  bool
}

func runTree(e *env, args []string) error {
	var f treeFlags
	sel := newGroup("Selection")
	sel.fs.IntVar(&f.pid, "pid", 0, "show the tree around every process that had pid `N`: its ancestors and descendants")
	outg := newGroup("Output")
	outg.fs.StringVar(&f.format, "format", "text", "`FORMAT`: text or json (auditchain.tree/v1)")
	outg.fs.StringVarP(&f.out, "output", "o", "", "write to `FILE` instead of standard output")
	outg.fs.BoolVar(&f.stats, "stats", false, "print counts and timings only (parse + trees, no rendering): for benchmarks")
	fs := newCommandFlags(e, "tree", treeSynopsis, f.in.group_(), sel, f.in.filterGroup(), outg,
		f.mem.group(1.5))
	if err := fs.Parse(args); err != nil {
		if err == errHelp(err) {
			return err
		}
		return usagef("%v", err)
	}
	stopMem, err := f.mem.apply(e.getenv)
	if err != nil {
		return err
	}
	defer stopMem()
	if f.format != "text" && f.format != "json" {
		return usagef("--format %q: want text or json", f.format)
	}
	tz, err := f.in.location()
	if err != nil {
		return err
	}
	if err := f.in.checkWindow(); err != nil {
		return err
	}
	if err := checkOutput(e, f.out, f.in.reads(fs.Args())); err != nil {
		return err
	}
	ev, err := f.in.resolve(e, fs.Args())
	if err != nil {
		return err
	}
	start := time.Now()
	// tree keeps no process between events, so its tree may spill: the
	// memory a big log needs stays bounded (TMPDIR holds the rest). Not
	// when every process is drawn: they would all come back anyway.
	if f.stats || f.pid > 0 {
		ev.opts.SpillLimit = f.mem.procs
	}
	ev.opts.PoisonRecycled = poisonRecycled(e)
	r := parser.NewReader(ev.inputs, ev.opts)
	defer r.Close()
	span := newEvidenceSpan() // the reference of --since 1h, outliers
	err = r.All(func(x *parser.Event) {
		span.observe(x)
		r.Recycle(x) // the tree keeps no event
	})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	reportInputProblems(e.stderr, r.Inputs())
	warnSpill(e, r.Stats())
	if f.stats {
		return printStats(e.stdout, r, elapsed)
	}
	ref, _, _ := span.reference()
	since, until, err := f.in.window(ref)
	if err != nil {
		return err
	}
	filterReport(e.stderr, f.in, span, r.Tree().Hosts(), since, until)
	opts := report.TreeOptions{PID: f.pid, Host: f.in.hostSel, Container: f.in.contSel, Since: since, Until: until, TZ: tz}
	forest := report.SelectTree(r.Tree(), opts)
	if err := r.Tree().Err(); err != nil {
		return err // a spill file that failed: the trees would be incomplete
	}
	if f.pid > 0 && len(forest) == 0 {
		return fmt.Errorf("no process with pid %d in these logs (and filters)", f.pid) // not found: exit 2
	}
	return writeOutput(e, f.out, func(w io.Writer) error {
		if f.format == "json" {
			return report.WriteTreeJSON(w, r.Tree(), forest)
		}
		return report.WriteTreeText(w, r.Tree(), forest, opts)
	})
}

// printStats prints what a benchmark needs: volumes, counts and speed.
func printStats(w io.Writer, r *parser.Reader, elapsed time.Duration) error {
	st := r.Stats()
	var bytes int64
	for _, in := range r.Inputs() {
		bytes += in.Bytes
	}
	secs := elapsed.Seconds()
	_, err := fmt.Fprintf(w, "inputs     %d\nbytes      %d\nrecords    %d\nevents     %d\nprocesses  %d\nspilled    %d (%.1f MB on disk)\nread back  %d\nmalformed  %d\nduplicates %d\nseconds    %.3f\nMB/s       %.1f\n",
		st.Inputs, bytes, st.Records, st.Events, st.Processes, st.Spill.Spilled, float64(st.Spill.Bytes)/1e6, st.Spill.Faults, st.Malformed, st.Duplicates, secs, float64(bytes)/1e6/secs)
	return err
}

// warnSpill says when the trees could not spill: the run goes on with
// every process in memory.
func warnSpill(e *env, st parser.Stats) {
	if why := st.Spill.Unavailable; why != "" {
		fmt.Fprintf(e.stderr, "auditchain: warning: no temporary file for the process trees (%s): keeping them all in memory\n", why)
	}
}
