package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/zstdframe"
)

// Black-box tests of hostile compressed inputs, container line formats and
// report sizes (issue 13), through the CLI. Inputs are generated into
// t.TempDir(): the hostile ones are large once inflated.

// advReport is the part of the JSON report these tests look at.
type advReport struct {
	Inputs []struct {
		Path      string `json:"path"`
		Records   int    `json:"records"`
		Malformed int    `json:"malformed"`
		Errors    []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"inputs"`
	Skipped []struct {
		Path   string `json:"path"`
		Reason string `json:"reason"`
	} `json:"skipped_inputs"`
	Hosts    []string `json:"hosts"`
	Coverage struct {
		Notes []string `json:"notes"`
	} `json:"coverage"`
	Stats struct {
		Events int `json:"events"`
	} `json:"stats"`
}

// advScan runs scan --format json with a deadline and decodes the report.
func advScan(t *testing.T, deadline time.Duration, args ...string) (advReport, string) {
	t.Helper()
	code, out, stderr := runCLIWithin(t, deadline, nil, append([]string{"scan", "--format", "json", "--fail-on", "none"}, args...)...)
	if code != exitOK {
		t.Fatalf("scan %v: exit %d, stderr:\n%s", args, code, stderr)
	}
	var rep advReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report: %v", err)
	}
	return rep, stderr
}

// input returns the report's entry for a path ending in name.
func (r advReport) input(t *testing.T, name string) (records int, errs string) {
	t.Helper()
	for _, in := range r.Inputs {
		if strings.HasSuffix(in.Path, name) {
			var b strings.Builder
			for _, e := range in.Errors {
				b.WriteString(e.Message + "\n")
			}
			return in.Records, b.String()
		}
	}
	t.Fatalf("no input %s in the report (skipped: %v)", name, r.Skipped)
	return 0, ""
}

// advAuditLines returns n auditd records of distinct events.
func advAuditLines(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		b.WriteString("type=SYSCALL msg=audit(1773483631.114:" + strconv.Itoa(100+i) + "): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=2140 pid=" + strconv.Itoa(3000+i) + " auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"id\" exe=\"/usr/bin/id\" key=\"exec\"\n")
	}
	return b.Bytes()
}

func advWrite(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAdversarialZstdLongWindow: zstd --long=30/31 from a pipe declares a
// 1-2 GiB window; such files were unreadable. A window over the limit is
// refused with the file named, and the other inputs are still read.
func TestAdversarialZstdLongWindow(t *testing.T) {
	dir := t.TempDir()
	body := advAuditLines(40)
	long := advWrite(t, dir, "audit.log.1.zst", zstdframe.Build(576<<20, body, 'A', 0)) // past the library's default 512 MiB
	huge := advWrite(t, dir, "audit.log.2.zst", zstdframe.Build(4<<30, body, 'A', 0))
	good := advWrite(t, dir, "audit.log", advAuditLines(5))

	rep, stderr := advScan(t, 60*time.Second, long, huge, good)
	if n, errs := rep.input(t, "audit.log.1.zst"); n != 40 || errs != "" {
		t.Errorf("long-window input: %d records, errors %q; want 40, none", n, errs)
	}
	if n, _ := rep.input(t, "audit.log"); n != 5 {
		t.Errorf("plain input beside them: %d records, want 5", n)
	}
	want := "window of 4 GiB, above the limit of 2 GiB (--max-zstd-window)"
	if len(rep.Skipped) != 1 || !strings.HasSuffix(rep.Skipped[0].Path, "audit.log.2.zst") || !strings.Contains(rep.Skipped[0].Reason, want) {
		t.Errorf("skipped %+v, want audit.log.2.zst with %q", rep.Skipped, want)
	}
	if !strings.Contains(stderr, "audit.log.2.zst") || !strings.Contains(stderr, want) {
		t.Errorf("stderr does not name the refused file and limit:\n%s", stderr)
	}

	// a lower limit refuses the 576 MiB window at the real read
	rep, stderr = advScan(t, 60*time.Second, "--max-zstd-window", "256MiB", long, good)
	if _, errs := rep.input(t, "audit.log.1.zst"); !strings.Contains(errs, "above the limit of 256 MiB") {
		t.Errorf("input errors %q, want the 256 MiB limit", errs)
	}
	if !strings.Contains(stderr, "audit.log.1.zst") || !strings.Contains(stderr, "--max-zstd-window") {
		t.Errorf("stderr does not report the cut:\n%s", stderr)
	}
}

// TestAdversarialInflateBomb: a 7 KiB zstd file that inflates to 200 MiB
// is cut by the ratio limit, reported with the file, and the records
// before the cut and the other inputs are analysed.
func TestAdversarialInflateBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := advWrite(t, dir, "bomb.log.zst", zstdframe.Build(1<<20, advAuditLines(30), 'A', 200<<20))
	good := advWrite(t, dir, "audit.log", advAuditLines(5))
	rep, stderr := advScan(t, 60*time.Second, bomb, good)
	n, errs := rep.input(t, "bomb.log.zst")
	if n != 30 || !strings.Contains(errs, "--max-inflate-ratio") || !strings.Contains(errs, "the rest not read") {
		t.Errorf("bomb: %d records, errors %q; want 30 and the ratio cut", n, errs)
	}
	if n, _ := rep.input(t, "audit.log"); n != 5 {
		t.Errorf("plain input beside it: %d records, want 5", n)
	}
	if !strings.Contains(stderr, "bomb.log.zst") || !strings.Contains(stderr, "--max-inflate-ratio") {
		t.Errorf("stderr does not report the cut:\n%s", stderr)
	}
	// the size limit, set low
	rep, _ = advScan(t, 60*time.Second, "--max-inflated", "8KiB", bomb, good)
	if n, errs := rep.input(t, "bomb.log.zst"); n == 0 || n >= 30 || !strings.Contains(errs, "limit of 8 KiB per compressed input (--max-inflated)") {
		t.Errorf("--max-inflated 8KiB: %d records, errors %q", n, errs)
	}
}

// TestAdversarialGzipMembers: a gzip stream of one member per line reads
// in linear time, every line.
func TestAdversarialGzipMembers(t *testing.T) {
	lines := bytes.SplitAfter(advAuditLines(5000), []byte("\n"))
	var stored bytes.Buffer
	zw := gzip.NewWriter(&stored)
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		zw.Reset(&stored)
		zw.Write(l)
		zw.Close()
	}
	p := advWrite(t, t.TempDir(), "audit.log.gz", stored.Bytes())
	start := time.Now()
	rep, _ := advScan(t, 60*time.Second, p)
	if n, errs := rep.input(t, "audit.log.gz"); n != 5000 || errs != "" {
		t.Errorf("%d records, errors %q; want 5000, none", n, errs)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("5000 members took %v", d)
	}
}

// peakHeap runs fn and returns the largest live heap seen while it ran.
func peakHeap(fn func()) uint64 {
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var max uint64
		for {
			runtime.ReadMemStats(&m)
			max = maxOf(max, m.HeapAlloc)
			select {
			case <-stop:
				peak <- max
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	return <-peak
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// TestAdversarialCRIPartialNeverEnds: a container that writes 48 MiB
// without a newline (CRI "P" chunks that never end) made the decoder hold
// the output several times over. The line is cut at --max-joined-line,
// its head kept as one event, the cut reported with file:line, and the
// lines after it read.
func TestAdversarialCRIPartialNeverEnds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var/log/pods/shop_web-1_0f1e/app")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("2026-11-25T20:15:22.000000000Z stdout F starting\n")
	chunk := bytes.Repeat([]byte("x"), 16<<10)
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "2026-11-25T20:15:22.%09dZ stdout P %s\n", i, chunk)
	}
	b.WriteString("2026-11-25T20:15:23.000000000Z stderr F other stream\n")
	p := advWrite(t, dir, "0.log", b.Bytes())
	b.Reset()

	var rep advReport
	var stderr string
	runtime.GC()
	peak := peakHeap(func() { rep, stderr = advScan(t, 60*time.Second, p) })
	n, errs := rep.input(t, "0.log")
	if n != 3002 || !strings.Contains(errs, "line joined from partial chunks since line 2 passed 1 MiB (--max-joined-line)") {
		t.Errorf("%d records, errors %q; want 3002 and the cut", n, errs)
	}
	if !strings.Contains(stderr, "0.log:65: joined line too long") {
		t.Errorf("stderr does not report the cut with file:line:\n%s", stderr)
	}
	if rep.Stats.Events != 3 { // starting, the cut line, other stream
		t.Errorf("%d events, want 3", rep.Stats.Events)
	}
	if peak > 40<<20 {
		t.Errorf("peak heap %d MiB for a 48 MiB log", peak>>20)
	}
}

// TestAdversarialManyHosts: the report's host list stopped at 65 536
// hosts without a word. All 70 000 are listed now; a list cut by
// --max-hosts says so in the report and on stderr.
func TestAdversarialManyHosts(t *testing.T) {
	const hosts = 70_000
	var b bytes.Buffer
	for i := 0; i < hosts; i++ {
		fmt.Fprintf(&b, "node=h%d type=SYSCALL msg=audit(1773483631.%03d:%d): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=%d uid=0 comm=\"x\" exe=\"/bin/x\"\n", i, i%1000, i+1, 100+i%30000)
	}
	p := advWrite(t, t.TempDir(), "audit.log", b.Bytes())
	rep, stderr := advScan(t, 120*time.Second, p)
	if len(rep.Hosts) != hosts {
		t.Errorf("%d hosts listed, want %d", len(rep.Hosts), hosts)
	}
	if strings.Contains(stderr, "--max-hosts") {
		t.Errorf("a cut reported with no cut:\n%s", stderr)
	}

	rep, stderr = advScan(t, 120*time.Second, "--max-hosts", "1000", p)
	want := "the list stops at 1000 hosts (--max-hosts); 138000 processes on hosts past it" // each exec and its parent
	if len(rep.Hosts) != 1000 || !strings.Contains(strings.Join(rep.Coverage.Notes, "\n"), want) || !strings.Contains(stderr, want) {
		t.Errorf("--max-hosts 1000: %d hosts, notes %q, stderr:\n%s\nwant 1000 and %q in both", len(rep.Hosts), rep.Coverage.Notes, stderr, want)
	}
}

// TestAdversarialSysmonUnknownProcess: Sysmon for Linux writes a process it
// could not name as "&lt unknown process&gt " (entities without ';'); the
// whole event was dropped as malformed (16 of 93 records of a public
// capture). It is read, and the repair reported with file:line.
func TestAdversarialSysmonUnknownProcess(t *testing.T) {
	event := func(pid int, parentImage string) string {
		return fmt.Sprintf(`Nov 25 20:15:55 host-a sysmon: <Event><System><Provider Name="Linux-Sysmon"/><EventID>1</EventID><Computer>host-a</Computer></System><EventData>`+
			`<Data Name="UtcTime">2026-11-25 20:15:55.%03d</Data><Data Name="ProcessId">%d</Data><Data Name="Image">/usr/bin/id</Data><Data Name="CommandLine">id</Data>`+
			`<Data Name="User">www-data</Data><Data Name="ParentProcessId">%d</Data><Data Name="ParentImage">%s</Data><Data Name="ParentCommandLine">php-fpm: pool www</Data></EventData></Event>`+"\n", pid%1000, pid, pid-1, parentImage)
	}
	p := advWrite(t, t.TempDir(), "sysmon.log", []byte(event(2310, "/usr/sbin/php-fpm8.2")+event(2320, "&lt unknown process&gt ")+event(2330, "/usr/sbin/php-fpm8.2")))
	rep, stderr := advScan(t, 60*time.Second, p)
	n, errs := rep.input(t, "sysmon.log")
	if n != 3 || rep.Inputs[0].Malformed != 0 || !strings.Contains(errs, "repaired: 2 XML entities without their ';'") {
		t.Errorf("%d records, %d malformed, errors %q; want 3, 0 and the repair", n, rep.Inputs[0].Malformed, errs)
	}
	if rep.Stats.Events != 6 { // each exec and its synthesized parent
		t.Errorf("%d events, want 6", rep.Stats.Events)
	}
	if !strings.Contains(stderr, "sysmon.log:2: repaired") {
		t.Errorf("stderr does not report the repair with file:line:\n%s", stderr)
	}
}
