package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Evidence fixtures for the path classes of issue 13, built in t.TempDir().
const (
	auditFixture  = "../../parser/testdata/auditd/raw_format.log"
	accessFixture = "../../parser/testdata/accesslog/webshell_combined.log"
)

func readFixture(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// scanDoc runs scan --format json and decodes the report.
func scanDoc(t *testing.T, stdin io.Reader, args ...string) (doc map[string]any, stderr string) {
	t.Helper()
	code, out, stderr := runCLIWithin(t, 20*time.Second, stdin, append([]string{"scan", "--format", "json", "--fail-on", "none", "--reproducible"}, args...)...)
	if code != 0 {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("report: %v", err)
	}
	return doc, stderr
}

func docInputs(doc map[string]any) map[string]string {
	out := map[string]string{}
	ins, _ := doc["inputs"].([]any)
	for _, x := range ins {
		m := x.(map[string]any)
		out[m["path"].(string)], _ = m["sha256"].(string)
	}
	return out
}

func docSkipped(doc map[string]any) map[string]string {
	out := map[string]string{}
	ins, _ := doc["skipped_inputs"].([]any)
	for _, x := range ins {
		m := x.(map[string]any)
		out[m["path"].(string)], _ = m["reason"].(string)
	}
	return out
}

// TestAdversarialOutputIsInput: -o must never name the evidence, however
// it is spelled, and a bad -o fails before any input is read.
func TestAdversarialOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	log := readFixture(t, auditFixture)
	ev := filepath.Join(dir, "evidence")
	in := filepath.Join(ev, "audit.log")
	writeFile(t, in, log)
	link := filepath.Join(dir, "report-link.json")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	hardlink := filepath.Join(dir, "hard.json")
	if err := os.Link(in, hardlink); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, in)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"same path", []string{"scan", "-o", in, in}},
		{"relative spelling", []string{"scan", "-o", rel, in}},
		{"through a symlink", []string{"scan", "-o", link, in}},
		{"hard link", []string{"scan", "-o", hardlink, in}},
		{"tree", []string{"tree", "-o", in, in}},
		{"inside an input folder", []string{"scan", "-o", filepath.Join(ev, "report.txt"), ev}},
		{"inside a globbed folder", []string{"tree", "-o", filepath.Join(ev, "tree.txt"), filepath.Join(dir, "ev*")}},
		{"inside --root", []string{"scan", "-o", filepath.Join(ev, "r.txt"), "--root", dir}},
		{"the --passwd file", []string{"scan", "-o", filepath.Join(dir, "passwd"), "--passwd", filepath.Join(dir, "passwd"), in}},
	}
	writeFile(t, filepath.Join(dir, "passwd"), []byte("root:x:0:0::/root:/bin/sh\n"))
	must := sha(log)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, in, log) // the evidence as it was, whatever an earlier case did
			code, _, stderr := runCLIWithin(t, 20*time.Second, nil, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, "-o") {
				t.Errorf("exit %d, want %d and a -o error; stderr %q", code, exitUsage, stderr)
			}
			if got, _ := os.ReadFile(in); sha(got) != must {
				t.Fatalf("the evidence was changed")
			}
			if _, err := os.Stat(filepath.Join(ev, "report.txt")); err == nil {
				t.Errorf("a report was written inside the evidence folder")
			}
		})
	}
	// -o with stdin as input: stdin is a file here, the same file as -o
	t.Run("stdin is the output", func(t *testing.T) {
		writeFile(t, in, log)
		f, err := os.Open(in)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		code, _, stderr := runCLIWithin(t, 20*time.Second, f, "tree", "-o", in, "-")
		if code != exitUsage || !strings.Contains(stderr, "-o") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if got, _ := os.ReadFile(in); sha(got) != must {
			t.Fatalf("the evidence was changed")
		}
	})
}

// readWatch records whether anything read it.
type readWatch struct {
	r    io.Reader
	read bool
}

func (w *readWatch) Read(p []byte) (int, error) { w.read = true; return w.r.Read(p) }

// TestAdversarialOutputChecked: -o into a missing or unwritable folder fails
// before any input is read; the analysis is not run for nothing.
func TestAdversarialOutputChecked(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, out string }{
		{"missing folder", filepath.Join(dir, "no/such/dir/report.json")},
		{"folder is a file", filepath.Join(auditFixture, "report.json")},
		{"output is a folder", dir},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdin := &readWatch{r: bytes.NewReader(readFixture(t, auditFixture))}
			code, _, stderr := runCLIWithin(t, 20*time.Second, stdin, "scan", "-o", tt.out, "-")
			if code != exitUsage || !strings.Contains(stderr, "-o") {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if stdin.read {
				t.Errorf("the input was read before -o was checked")
			}
		})
	}
}

// TestAdversarialOutputAtomic: a report that cannot be written whole (disk
// full) leaves nothing under the final name, and a previous report there
// is kept intact.
func TestAdversarialOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	e := &env{stdout: io.Discard, stderr: io.Discard}
	full := errors.New("no space left on device")
	half := func(w io.Writer) error {
		w.Write([]byte("half a report"))
		return full
	}
	p := filepath.Join(dir, "new.json")
	if err := writeOutput(e, p, half); !errors.Is(err, full) {
		t.Errorf("err %v, want %v", err, full)
	}
	if _, err := os.Stat(p); err == nil {
		t.Errorf("a truncated report was left under the final name")
	}
	old := filepath.Join(dir, "old.json")
	writeFile(t, old, []byte("yesterday's report"))
	writeOutput(e, old, half)
	if b, _ := os.ReadFile(old); string(b) != "yesterday's report" {
		t.Errorf("previous report destroyed: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		var names []string
		for _, d := range ents {
			names = append(names, d.Name())
		}
		t.Errorf("temporary files left: %v", names)
	}
	// and a complete write lands under the final name
	if err := writeOutput(e, p, func(w io.Writer) error { _, err := w.Write([]byte("ok")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "ok" {
		t.Errorf("report %q", b)
	}
}

// TestAdversarialGlobNames: a path that exists is taken literally, and a
// glob is expanded once: names shaped like patterns must neither recurse
// nor read another file.
func TestAdversarialGlobNames(t *testing.T) {
	// Before the fix this recursed without end; fail in a second, not 35.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	dir := t.TempDir()
	log := readFixture(t, auditFixture)
	writeFile(t, filepath.Join(dir, "x*y.log"), log)
	writeFile(t, filepath.Join(dir, "audit[1].log"), log[:bytes.IndexByte(log, '\n')+1])
	writeFile(t, filepath.Join(dir, "audit1.log"), log)
	// a container folder named like a pattern under --root
	root := filepath.Join(dir, "img")
	cdir := filepath.Join(root, "var/lib/docker/containers/evil*")
	writeFile(t, filepath.Join(cdir, "evil*-json.log"), []byte(`{"log":"hi\n","stream":"stdout","time":"2026-11-25T21:16:15.5Z"}`+"\n"))
	writeFile(t, filepath.Join(root, "var/log/audit/audit.log"), log)

	tests := []struct {
		name    string
		args    []string
		records string
	}{
		{"literal name with *", []string{filepath.Join(dir, "x*y.log")}, "records    64"},
		{"literal name with []", []string{filepath.Join(dir, "audit[1].log")}, "records    1\n"},
		{"pattern matching a pattern-shaped name", []string{filepath.Join(dir, "x*.log")}, "records    64"},
		{"--root with a container folder named evil*", []string{"--root", root}, "inputs     2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLIWithin(t, 10*time.Second, nil, append([]string{"tree", "--stats"}, tt.args...)...)
			if code != 0 || !strings.Contains(out, tt.records) {
				t.Errorf("exit %d, want %q in\n%s\nstderr %s", code, tt.records, out, stderr)
			}
		})
	}
}

// TestAdversarialSpecialFiles: a FIFO, given or found, is refused with a
// message naming it; it never blocks the run.
func TestAdversarialSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "logs", "audit.log.fifo")
	writeFile(t, filepath.Join(dir, "logs", "audit.log"), readFixture(t, auditFixture))
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"named", []string{fifo, filepath.Join(dir, "logs", "audit.log")}},
		{"in a folder", []string{filepath.Join(dir, "logs")}},
		{"matched by a glob", []string{filepath.Join(dir, "logs", "audit.log*")}},
		{"device", []string{"/dev/zero", filepath.Join(dir, "logs", "audit.log")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLIWithin(t, 10*time.Second, nil, append([]string{"tree", "--stats"}, tt.args...)...)
			if code != 0 || !strings.Contains(out, "records    64") {
				t.Errorf("exit %d, the log beside it was not read:\n%s\n%s", code, out, stderr)
			}
			if !strings.Contains(stderr, "FIFO") && !strings.Contains(stderr, "device") {
				t.Errorf("stderr does not say what was refused: %q", stderr)
			}
		})
	}
}

// TestAdversarialStdinTwice: "- -" reads standard input once; the hash in
// the report is the hash of what came in.
func TestAdversarialStdinTwice(t *testing.T) {
	log := readFixture(t, auditFixture)
	doc, stderr := scanDoc(t, bytes.NewReader(log), "-", "-")
	ins := docInputs(doc)
	if len(ins) != 1 || ins["-"] != sha(log) {
		t.Errorf("inputs %v, want one stdin with sha256 %s", ins, sha(log))
	}
	if !strings.Contains(stderr, "standard input") {
		t.Errorf("the second - is not reported: %q", stderr)
	}
	if _, ok := docSkipped(doc)["-"]; !ok {
		t.Errorf("the second - is not in the report's skipped inputs: %v", docSkipped(doc))
	}
}

// TestAdversarialRootSymlinks: under --root, symlinks resolve inside the
// image as a chroot would; the analyst's own files are never read, and the
// files read from the image are listed with their hashes.
func TestAdversarialRootSymlinks(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "img")
	// the analyst's files, outside the image
	analystPasswd := filepath.Join(dir, "analyst-passwd")
	writeFile(t, analystPasswd, []byte("analyst-root:x:0:0::/root:/bin/sh\n"))
	analystLog := filepath.Join(dir, "analyst-access.log")
	writeFile(t, analystLog, readFixture(t, accessFixture))

	writeFile(t, filepath.Join(root, "var/log/audit/audit.log"), readFixture(t, auditFixture))
	imgPasswd := []byte("image-root:x:0:0::/root:/bin/sh\n")
	writeFile(t, filepath.Join(root, "etc/passwd.real"), imgPasswd)
	// etc/passwd -> /etc/passwd.real: inside the image, not on this machine
	if err := os.Symlink("/etc/passwd.real", filepath.Join(root, "etc/passwd")); err != nil {
		t.Fatal(err)
	}
	// etc/group -> ../../../<analyst file>: clamped at the image root
	relOut, _ := filepath.Rel(filepath.Join(root, "etc"), analystPasswd)
	if err := os.Symlink(relOut, filepath.Join(root, "etc/group")); err != nil {
		t.Fatal(err)
	}
	id := strings.Repeat("cd", 32)
	cdir := filepath.Join(root, "var/lib/docker/containers", id)
	if err := os.MkdirAll(cdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(analystLog, filepath.Join(cdir, id+"-json.log")); err != nil {
		t.Fatal(err)
	}
	// nginx's log: an absolute link to an analyst file
	if err := os.MkdirAll(filepath.Join(root, "var/log/nginx"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(analystLog, filepath.Join(root, "var/log/nginx/access.log")); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := runCLIWithin(t, 20*time.Second, nil, "tree", "--root", root)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "analyst-") || !strings.Contains(out, "image-root") {
		t.Errorf("uid 0 not named from the image's own passwd:\n%s", out)
	}
	doc, stderr := scanDoc(t, nil, "--root", root)
	ins := docInputs(doc)
	for p := range ins {
		if !strings.HasPrefix(p, root) {
			t.Errorf("input %s is outside the image", p)
		}
	}
	if got := ins[filepath.Join(root, "etc/passwd")]; got != sha(imgPasswd) {
		t.Errorf("etc/passwd not listed in inputs with its hash: %v", ins)
	}
	if !strings.Contains(stderr, id+"-json.log") {
		t.Errorf("the container log whose link leaves the image is not reported: %s", stderr)
	}
	if _, ok := docSkipped(doc)[filepath.Join(root, "var/log/nginx/access.log")]; !ok {
		t.Errorf("the access log whose link leaves the image is not in skipped inputs: %v", docSkipped(doc))
	}
}

// TestAdversarialSilentSkips: every path of a folder that is not read is
// named, with its reason, on stderr and in the report.
func TestAdversarialSilentSkips(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "ev")
	writeFile(t, filepath.Join(ev, "audit.log"), readFixture(t, auditFixture))
	writeFile(t, filepath.Join(dir, "outside.log"), readFixture(t, accessFixture))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(dir, "outside.log"), filepath.Join(ev, "linked.log")))
	must(os.Symlink("nowhere", filepath.Join(ev, "dangling.log")))
	must(os.Symlink("loop2", filepath.Join(ev, "loop1")))
	must(os.Symlink("loop1", filepath.Join(ev, "loop2")))
	must(syscall.Mkfifo(filepath.Join(ev, "pipe"), 0o644))
	sock := filepath.Join(ev, "s.sock")
	l, err := net.Listen("unix", sock)
	must(err)
	defer l.Close()
	want := []string{"linked.log", "dangling.log", "loop1", "loop2", "pipe", "s.sock"}
	// an unreadable sub-folder: TestAdversarialUnreadableFolder
	doc, stderr := scanDoc(t, nil, ev)
	sk := docSkipped(doc)
	for _, n := range want {
		p := filepath.Join(ev, n)
		if _, ok := sk[p]; !ok {
			t.Errorf("%s not in the report's skipped inputs: %v", n, sk)
		}
		if !strings.Contains(stderr, p) {
			t.Errorf("%s not named on stderr: %s", n, stderr)
		}
	}

	// a looping var/log/audit under --root
	root := filepath.Join(dir, "img")
	must(os.MkdirAll(filepath.Join(root, "var/log"), 0o755))
	must(os.Symlink("audit", filepath.Join(root, "var/log/audit")))
	writeFile(t, filepath.Join(root, "var/log/nginx/access.log"), readFixture(t, accessFixture))
	_, stderr = scanDoc(t, nil, "--root", root)
	if !strings.Contains(stderr, filepath.Join(root, "var/log/audit")) {
		t.Errorf("the looping var/log/audit is not reported: %s", stderr)
	}
}

// TestAdversarialNULBlock: a block of NULs in an access log (as a crash
// leaves) costs its lines, not the file.
func TestAdversarialNULBlock(t *testing.T) {
	dir := t.TempDir()
	log := readFixture(t, accessFixture)
	lines := bytes.SplitAfter(log, []byte("\n"))
	var b bytes.Buffer
	b.Write(bytes.Join(lines[:3], nil))
	b.Write(make([]byte, 16<<10))
	b.WriteString("\n")
	b.Write(bytes.Join(lines[3:], nil))
	p := filepath.Join(dir, "access.log")
	writeFile(t, p, b.Bytes())
	code, out, stderr := runCLIWithin(t, 10*time.Second, nil, "tree", "--stats", p)
	if code != 0 || strings.Contains(stderr, "binary") {
		t.Fatalf("exit %d: the file was dropped: %s", code, stderr)
	}
	if !strings.Contains(out, "records    9") {
		t.Errorf("want the 8 lines and the NUL line read:\n%s", out)
	}
	if !strings.Contains(stderr, p+":4:") {
		t.Errorf("the NUL line is not reported with file:line: %s", stderr)
	}
}

// TestAdversarialTerminalEscapes: names and report text that hold terminal
// escapes are printed escaped on stderr and in diff's output.
func TestAdversarialTerminalEscapes(t *testing.T) {
	dir := t.TempDir()
	evil := filepath.Join(dir, "evil\x1b]0;pwned\x07\x1b[2J.log")
	writeFile(t, evil, []byte("not a log\n"))
	writeFile(t, filepath.Join(dir, "audit.log"), readFixture(t, auditFixture))
	_, _, stderr := runCLIWithin(t, 10*time.Second, nil, "tree", "--stats", dir, evil+".missing")
	if strings.ContainsAny(stderr, "\x1b\x07") {
		t.Errorf("raw escapes on stderr: %q", stderr)
	}
	if !strings.Contains(stderr, `evil\x1b]0;pwned`) {
		t.Errorf("the name is not shown escaped: %q", stderr)
	}

	// two hostile JSON reports
	docOf := func(id, sev string) string {
		return `{"schema":"auditchain.report/v1","inputs":[],"hosts":[],"coverage":{},"findings":[{"id":"` + id + `","rule_id":"r\u001b[1m","title":"t","severity":"` + sev + `","stage":1,"stage_id":"s\u001b[31m","time":"2026-11-25T20:14:02Z","host":"h","summary":"x","evidence":[]}],"chains":[{"id":"C\u001b[5m","host":"h","severity":"high\u009b1m","stages":[]}],"iocs":[],"stats":{}}`
	}
	a := filepath.Join(dir, "a.json")
	bp := filepath.Join(dir, "b.json")
	writeFile(t, a, []byte(docOf("F\\u001b[41m1", "high")))
	writeFile(t, bp, []byte(docOf("F\\u001b[41m2", "critical\\u001b]8;;http://x\\u0007")))
	code, out, stderr := runCLIWithin(t, 10*time.Second, nil, "diff", a, bp)
	if code == exitUsage {
		t.Fatalf("diff: %s", stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "\u009b") {
		t.Errorf("raw escapes in diff output: %q", out)
	}
}

// TestAdversarialUnreadableFolder: a sub-folder the run cannot read is
// named with its reason. Root reads every folder, so as root the check
// runs in a copy of this test binary started as nobody.
func TestAdversarialUnreadableFolder(t *testing.T) {
	if dir := os.Getenv("AUDITCHAIN_TEST_UNREADABLE"); dir != "" {
		// the child: report what the CLI said, for the parent to check
		var out, errb bytes.Buffer
		run([]string{"scan", "--format", "json", "--fail-on", "none", "--reproducible", dir}, nil, &out, &errb)
		os.WriteFile(filepath.Join(filepath.Dir(dir), "result", "stdout"), out.Bytes(), 0o644)
		os.WriteFile(filepath.Join(filepath.Dir(dir), "result", "stderr"), errb.Bytes(), 0o644)
		return
	}
	base := t.TempDir()
	ev := filepath.Join(base, "ev")
	writeFile(t, filepath.Join(ev, "audit.log"), readFixture(t, auditFixture))
	writeFile(t, filepath.Join(ev, "locked", "audit.log.1"), readFixture(t, auditFixture))
	if err := os.Chmod(filepath.Join(ev, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(filepath.Join(ev, "locked"), 0o755)
	var stdout, stderr []byte
	if os.Geteuid() != 0 {
		var o, e bytes.Buffer
		run([]string{"scan", "--format", "json", "--fail-on", "none", "--reproducible", ev}, nil, &o, &e)
		stdout, stderr = o.Bytes(), e.Bytes()
	} else {
		// a copy of the test binary that nobody can run, in folders nobody
		// can enter; result/ is where it writes
		for d := base; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
			os.Chmod(d, 0o755)
		}
		exe, err := os.ReadFile("/proc/self/exe")
		if err != nil {
			t.Skip(err)
		}
		bin := filepath.Join(base, "auditchain.test")
		if err := os.WriteFile(bin, exe, 0o755); err != nil {
			t.Fatal(err)
		}
		res := filepath.Join(base, "result")
		if err := os.Mkdir(res, 0o777); err != nil {
			t.Fatal(err)
		}
		os.Chmod(res, 0o777)
		cmd := exec.Command(bin, "-test.run=^TestAdversarialUnreadableFolder$")
		cmd.Dir = base
		cmd.Env = []string{"AUDITCHAIN_TEST_UNREADABLE=" + ev, "PATH=/usr/bin:/bin"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("cannot run as nobody: %v %s", err, out)
		}
		stdout, _ = os.ReadFile(filepath.Join(res, "stdout"))
		stderr, _ = os.ReadFile(filepath.Join(res, "stderr"))
	}
	var doc map[string]any
	if err := json.Unmarshal(stdout, &doc); err != nil {
		t.Fatalf("report: %v (stderr %s)", err, stderr)
	}
	locked := filepath.Join(ev, "locked")
	if r, ok := docSkipped(doc)[locked]; !ok || !strings.Contains(r, "permission") {
		t.Errorf("the unreadable folder is not in the report's skipped inputs: %v", docSkipped(doc))
	}
	if !strings.Contains(string(stderr), locked) {
		t.Errorf("the unreadable folder is not named on stderr: %s", stderr)
	}
	if len(docInputs(doc)) != 1 {
		t.Errorf("inputs %v, want the readable audit.log", docInputs(doc))
	}
}

// TestOutputDevice: -o /dev/null (or any device or pipe) is written in
// place. A report renamed over it would replace the device node itself;
// as root that succeeds, and every later program on the machine writes
// its discarded output into a regular file.
func TestOutputDevice(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a device node needs root")
	}
	dev := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("mknod: %v", err)
	}
	code, _, stderr := runCLIWithin(t, 30*time.Second, nil, "scan", "--format", "json", "--fail-on", "none", "-o", dev,
		filepath.Join(classic, "audit.log.gz"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	st, err := os.Stat(dev)
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("-o %s replaced the device: %v %v", dev, st.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dev), ".null.part-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestAdversarialOutputKilled: a run killed while it writes its report
// (SIGKILL, the OOM killer, a pulled plug) must leave nothing behind in
// the folder: the report is written into an unnamed file (O_TMPFILE) that
// gets a name only when it is complete. Checked by listing the folder from
// inside the write: that is what a kill at that moment would leave.
func TestAdversarialOutputKilled(t *testing.T) {
	dir := t.TempDir()
	e := &env{stdout: io.Discard, stderr: io.Discard}
	p := filepath.Join(dir, "report.json")
	var during []string
	err := writeOutput(e, p, func(w io.Writer) error {
		w.Write([]byte("half"))
		ents, _ := os.ReadDir(dir)
		for _, d := range ents {
			during = append(during, d.Name())
		}
		_, err := w.Write([]byte(" and the rest"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(during) != 0 {
		t.Errorf("while the report was written the folder held %v: a kill then leaves it behind", during)
	}
	if b, _ := os.ReadFile(p); string(b) != "half and the rest" {
		t.Errorf("report %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d entries after the write, want the report alone", len(ents))
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm()&0o600 != 0o600 {
		t.Errorf("report not readable and writable by its owner: %v", err)
	}
}
