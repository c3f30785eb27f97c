package parser

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/golden"
)

// Helpers and fuzz targets shared by the runtime-sensor and envelope
// parsers' tests (tetragon, falco, clouddefend, sysmon, k8saudit, envelope,
// journald). Helpers are prefixed rt to stay apart from other tests.

// rtDecode runs the decoder of format f over data the way the Reader's line
// stream does (one call per non-empty line, Flush at the end) and returns
// the events, the errors Line returned, and the input (whose ErrorList holds
// what decoders report themselves).
func rtDecode(t testing.TB, f Format, name string, data []byte) ([]*Event, []error, *Input) {
	t.Helper()
	in := &Input{Path: name, Format: f}
	def := formatDefOf(f)
	if def == nil || def.newDecoder == nil {
		t.Fatalf("no decoder for %s", f)
	}
	d := def.newDecoder(in, &Options{})
	if d == nil {
		t.Skipf("decoder for %s is a stub", f)
	}
	var out []*Event
	var errs []error
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var err error
		out, err = d.Line(Pos{File: name, Line: i + 1}, line, out)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return d.Flush(out), errs, in
}

// rtRead reads paths through Resolve and a Reader, as the CLI does.
func rtRead(t testing.TB, opts Options, paths ...string) ([]*Event, []*Input) {
	t.Helper()
	ins, skipped := Resolve(paths, nil)
	if len(skipped) > 0 {
		t.Fatalf("skipped inputs: %v", skipped)
	}
	r := NewReader(ins, opts)
	defer r.Close()
	var evs []*Event
	if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
		t.Fatal(err)
	}
	return evs, r.Inputs()
}

// rtDump renders events and the inputs' counts for golden files: the
// auditd dump line plus what the sensor formats add.
func rtDump(evs []*Event, ins []*Input, tree *Tree) string {
	var b strings.Builder
	for _, ev := range evs {
		var e strings.Builder
		dumpEvent(&e, ev)
		head, at, _ := strings.Cut(e.String(), "\n")
		b.WriteString(head)
		if ev.Op != "" {
			fmt.Fprintf(&b, " op=%q", ev.Op)
		}
		if ev.Child != 0 {
			fmt.Fprintf(&b, " child=%d", ev.Child)
		}
		if ev.Message != "" {
			fmt.Fprintf(&b, " msg=%q", ev.Message)
		}
		if ev.Synth != NotSynth {
			fmt.Fprintf(&b, " synth=%s", ev.Synth)
		}
		if ev.Account != "" {
			fmt.Fprintf(&b, " account=%q", ev.Account)
		}
		if c := ev.Container(); !c.IsZero() {
			fmt.Fprintf(&b, " container={id=%q name=%q image=%q pod=%q ns=%q runtime=%q}", c.ID, c.Name, c.Image, c.Pod, c.Namespace, c.Runtime)
		}
		if a := ev.Alert(); a != nil {
			fmt.Fprintf(&b, " alert={%s %q %s tags=%q}", a.Source, a.Rule, a.Priority, a.Tags)
		}
		fmt.Fprintf(&b, " source=%s\n%s", ev.Source, at)
	}
	for _, in := range ins {
		fmt.Fprintf(&b, "input %s format=%s records=%d malformed=%d\n", filepath.ToSlash(in.Path), in.Format, in.Records, in.Malformed)
		for _, e := range in.Errors.List {
			fmt.Fprintf(&b, "  error %s\n", filepath.ToSlash(e.Error()))
		}
	}
	if tree != nil {
		dumpTree(&b, tree)
	}
	return b.String()
}

// rtGolden reads one fixture through the Reader and compares the dump with
// its .golden file (go test ./parser -run TestX -update rewrites it).
func rtGolden(t *testing.T, path string, wantFormat Format) []*Event {
	t.Helper()
	ins, skipped := Resolve([]string{path}, nil)
	if len(skipped) > 0 {
		t.Fatalf("skipped: %v", skipped)
	}
	if len(ins) != 1 || ins[0].Format != wantFormat {
		t.Fatalf("sniffed %v, want one %s input", ins, wantFormat)
	}
	r := NewReader(ins, Options{Workers: 1})
	defer r.Close()
	var evs []*Event
	if err := r.All(func(ev *Event) { evs = append(evs, ev) }); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, path+".golden", []byte(rtDump(evs, r.Inputs(), r.Tree())), *update)
	return evs
}

// rtPublic returns the folder of the public samples of one format, or fails
// the test when they are missing from testdata/public/formats.
func rtPublic(t *testing.T, sub string) string {
	t.Helper()
	for _, root := range []string{filepath.Join("..", "testdata", "public", "formats")} {
		dir := filepath.Join(root, sub)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	t.Fatalf("public samples %s missing from testdata/public/formats", sub)
	return ""
}

// rtCheckEvents asserts what every decoder owes its caller, whatever the
// input: sane errors and complete events.
func rtCheckEvents(t testing.TB, evs []*Event, errs []error) {
	t.Helper()
	for _, err := range errs {
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is not a *parser.Error", err)
		}
		if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrField) && !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrRepaired) {
			t.Fatalf("error %v has no sentinel", err)
		}
		if len(pe.Record) > 200 {
			t.Fatalf("error record not shortened: %d bytes", len(pe.Record))
		}
	}
	for _, ev := range evs {
		if ev == nil {
			t.Fatal("nil event")
		}
		if ev.Source == "" {
			t.Fatalf("event without Source: %+v", ev)
		}
		if ev.Time.Location() != time.UTC {
			t.Fatalf("time %v not UTC", ev.Time)
		}
		if len(ev.Evidence) == 0 || !ev.Evidence[0].Pos.IsValid() {
			t.Fatalf("event without evidence position: %+v", ev)
		}
		if ev.PID < 0 || ev.PPID < 0 || ev.Child < 0 || ev.Peer.Port < 0 || ev.Peer.Port > 65535 {
			t.Fatalf("bad numbers in %+v", ev)
		}
	}
}

// rtFuzz seeds f with the lines and the whole of each fixture and checks
// that decoding never panics and keeps rtCheckEvents' promises; the
// process tree must take the events too.
func rtFuzz(f *testing.F, format Format, fixtures ...string) {
	for _, p := range fixtures {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		for _, l := range bytes.Split(data, []byte("\n")) {
			if len(l) > 0 {
				f.Add(l)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, errs, _ := rtDecode(t, format, "fuzz", data)
		rtCheckEvents(t, evs, errs)
		tree := NewTree()
		for _, ev := range evs {
			tree.Observe(ev)
		}
		// The sniffer must not panic either.
		for _, l := range bytes.Split(data, []byte("\n")) {
			if l = bytes.TrimSpace(l); len(l) > 0 {
				formatDefOf(format).sniff(l)
			}
		}
	})
}

func FuzzTetragon(f *testing.F) {
	rtFuzz(f, FormatTetragon, "testdata/tetragon/webshell.json")
}

func FuzzFalco(f *testing.F) {
	rtFuzz(f, FormatFalco, "testdata/falco/webshell.json")
}

func FuzzCloudDefend(f *testing.F) {
	rtFuzz(f, FormatCloudDefend, "testdata/clouddefend/webshell.ndjson")
}

func FuzzSysmon(f *testing.F) {
	rtFuzz(f, FormatSysmon, "testdata/sysmon/webshell.log")
}

func FuzzK8sAudit(f *testing.F) {
	rtFuzz(f, FormatK8sAudit, "testdata/k8saudit/webshell.json")
}

func FuzzEnvelope(f *testing.F) {
	rtFuzz(f, FormatEnvelope, "testdata/envelope/mixed.json", "testdata/envelope/falco_syslog.log",
		"testdata/envelope/webshell.filebeat.json")
}

func FuzzJournald(f *testing.F) {
	rtFuzz(f, FormatJournald, "testdata/journald/webshell.json")
}

// rtCase is one table-driven decoder case: the input lines, the error
// sentinel one of them must give (nil: none may fail), the kinds of the
// events in order, and further checks.
type rtCase struct {
	name    string
	in      string
	wantErr error
	kinds   []Kind
	check   func(t *testing.T, evs []*Event)
}

func rtRun(t *testing.T, f Format, cases []rtCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, errs, in := rtDecode(t, f, "case.log", []byte(c.in))
			errs = append(errs, func() []error {
				var l []error
				for _, e := range in.Errors.List {
					l = append(l, e)
				}
				return l
			}()...)
			rtCheckEvents(t, evs, errs)
			switch {
			case c.wantErr == nil && len(errs) > 0:
				t.Fatalf("unexpected errors: %v", errs)
			case c.wantErr != nil:
				found := false
				for _, e := range errs {
					if errors.Is(e, c.wantErr) {
						found = true
					}
				}
				if !found {
					t.Fatalf("errors %v, want one that is %v", errs, c.wantErr)
				}
			}
			var kinds []Kind
			for _, ev := range evs {
				kinds = append(kinds, ev.Kind)
			}
			if fmt.Sprint(kinds) != fmt.Sprint(c.kinds) {
				t.Fatalf("kinds %v, want %v", kinds, c.kinds)
			}
			if c.check != nil {
				c.check(t, evs)
			}
		})
	}
}

// rtWant fails unless got equals want, naming the field.
func rtWant[T comparable](t *testing.T, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", field, got, want)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
