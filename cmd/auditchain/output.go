package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/auditchain/auditchain/report"
)

// The report goes next to the evidence, on the analyst's machine: it must
// never replace an input, and it is there whole or not at all.

// checkOutput refuses an -o that is, or lies inside, something this run
// reads (reads: the arguments, --root, --passwd … as given; patterns are
// expanded once), and an -o folder that is missing or not writable. It
// runs before any input is read, so that a mistake costs nothing.
func checkOutput(e *env, out string, reads []string) error {
	if out == "" || out == "-" {
		return nil
	}
	dir := filepath.Dir(out)
	st, err := os.Stat(dir)
	if err != nil {
		return usagef("-o %s: folder %s: %v", out, dir, bare(err))
	}
	if !st.IsDir() {
		return usagef("-o %s: %s is not a folder", out, dir)
	}
	outSt, err := os.Stat(out) // after links: what -o would overwrite
	if err == nil && outSt.IsDir() {
		return usagef("-o %s: is a folder", out)
	}
	if err != nil {
		outSt = nil
	}
	// the folders that hold the output, links resolved, up to /
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return usagef("-o %s: %v", out, err)
	}
	if realDir, err = filepath.Abs(realDir); err != nil {
		return usagef("-o %s: %v", out, err)
	}
	var above []fs.FileInfo
	for d := realDir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil {
			above = append(above, st)
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	for _, p := range expandOnce(reads) {
		rst, err := os.Stat(p)
		if err != nil {
			continue // not there: nothing to overwrite
		}
		if outSt != nil && os.SameFile(outSt, rst) {
			return usagef("-o %s: is the input %s: the evidence would be overwritten", out, p)
		}
		if !rst.IsDir() {
			continue
		}
		for _, a := range above {
			if os.SameFile(a, rst) {
				return usagef("-o %s: inside the input folder %s: write the report outside the evidence", out, p)
			}
		}
	}
	if outSt != nil {
		if f, ok := e.stdin.(interface{ Stat() (fs.FileInfo, error) }); ok && slices.Contains(reads, "-") {
			if in, err := f.Stat(); err == nil && os.SameFile(in, outSt) {
				return usagef("-o %s: is the standard input: the evidence would be overwritten", out)
			}
		}
	}
	if outSt != nil && !outSt.Mode().IsRegular() {
		return nil // /dev/null, /dev/stdout, a FIFO: written in place (writeOutput)
	}
	tmp, err := createBeside(out)
	if err != nil {
		return usagef("-o %s: cannot write in %s: %v", out, dir, bare(err))
	}
	tmp.Close()
	os.Remove(tmp.Name())
	return nil
}

// expandOnce turns the paths a run reads into existing paths: a path that
// exists as is, else its pattern's matches.
func expandOnce(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == "" || p == "-" {
			continue
		}
		if _, err := os.Lstat(p); err == nil {
			out = append(out, p)
			continue
		}
		m, _ := filepath.Glob(p)
		out = append(out, m...)
	}
	return out
}

// createBeside creates a new file in the folder of path, for a report
// written whole before it takes path's name. O_EXCL: never an existing
// file; 0644 as the report always was, less the umask.
func createBeside(path string) (*os.File, error) {
	var f *os.File
	_, err := freeName(path, func(name string) (err error) {
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		return err
	})
	return f, err
}

// freeName tries temporary names beside path (".NAME.part-N") with try
// until one is not taken, and returns it.
func freeName(path string, try func(name string) error) (string, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf(".%s.part-%d", base, rand.Uint32()))
		err := try(name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, err
	}
	return "", fmt.Errorf("no free temporary name in %s", dir)
}

// writeOutput writes to -o FILE or stdout. A file is written beside FILE
// and renamed to it once complete and synced: a full disk or a crash
// leaves the previous FILE (or none), never half a report under its name.
// A report is never written next to the evidence by accident: the file is
// created only when asked for, and checkOutput ran before the inputs.
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		// A device or a pipe (-o /dev/null, /dev/stderr, a FIFO) is
		// written in place: renaming a file over it would replace the
		// device node itself, and as root that succeeds.
		return writeSpecial(path, write)
	}
	// The report is written into a file with no name where the system
	// has them (a kill leaves nothing), else into a named temporary file
	// (a kill leaves it behind, a failure removes it).
	unnamed := true
	f, err := createUnnamed(filepath.Dir(path))
	if err != nil {
		unnamed = false
		f, err = createBeside(path)
	}
	if err != nil {
		return fmt.Errorf("-o %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			if !unnamed {
				os.Remove(f.Name())
			}
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("-o %s: %w", path, err)
	}
	part := f.Name()
	if unnamed {
		// a name beside path, then renamed over it: linkat cannot replace
		// an existing report, rename does so atomically
		if part, err = linkBeside(f, path); err != nil {
			return fmt.Errorf("-o %s: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(part)
		return fmt.Errorf("-o %s: %w", path, err)
	}
	if err := os.Rename(part, path); err != nil {
		os.Remove(part)
		return fmt.Errorf("-o %s: %w", path, err)
	}
	done = true
	return nil
}

// linkBeside names an unnamed file with a free temporary name in path's
// folder and returns that name.
func linkBeside(f *os.File, path string) (string, error) {
	return freeName(path, func(name string) error { return linkUnnamed(f, name) })
}

// writeSpecial writes to an existing file that is not a regular one, as
// it is: no temporary file, no rename, no sync.
func writeSpecial(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("-o %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-o %s: %w", path, err)
	}
	return nil
}

// escapingWriter is stderr for messages: names and text from the evidence
// (file names, record text in errors) reach a terminal escaped, newlines
// between messages kept. Each Write is one whole message.
type escapingWriter struct{ w io.Writer }

func (w escapingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, report.SanitizeLines(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// bare is an error without the path and operation a PathError adds: the
// message names the path already.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
