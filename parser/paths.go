package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"
)

// The evidence comes from a machine an attacker controlled: its file names,
// file types and symbolic links are chosen by the attacker. The rules here:
//
//   - a path that exists is taken literally, whatever characters it holds;
//     a pattern is expanded once and its matches are never expanded again;
//   - only regular files are read: files are opened without blocking and
//     their type is checked on the open descriptor, so a FIFO, a device or
//     a socket is refused with a message, never waited on;
//   - inside a folder, a symbolic link is followed only while it stays in
//     the folder; inside an image (--root) links resolve as in a chroot of
//     the image; nothing outside is ever read;
//   - every path that is not read is returned as skipped, with the reason.

// Context file formats: files read for names and coverage, never as logs.
// They are listed in a report's inputs with their hashes.
const (
	FormatPasswd     Format = "passwd"
	FormatGroup      Format = "group"
	FormatAuditRules Format = "audit-rules"
)

// maxLinks is how many symbolic links one path may pass, as Linux's own
// limit (MAXSYMLINKS); past it the path is a loop.
const maxLinks = 40

// maxContextFile bounds a passwd, group or audit rules file read whole.
const maxContextFile = 64 << 20

var (
	errLinkLoop   = errors.New("symbolic link loop (too many links), not followed")
	errLinkLeaves = errors.New("symbolic link that leads out of the folder, not followed (name its target to read it)")
	errLinkToDir  = errors.New("symbolic link to a folder, not followed")
	errGlobLink   = errors.New("symbolic link matched by a pattern, not followed (name it to read it)")
	errStdinTwice = errors.New("standard input given more than once: read once")
)

// hasMeta reports whether a path holds glob characters.
func hasMeta(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// fileTypeError says why a file that is not a regular file is not read.
func fileTypeError(m fs.FileMode) error {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return errors.New("a FIFO (named pipe), not a file: refused, reading it could block forever")
	case m&fs.ModeSocket != 0:
		return errors.New("a socket, not a file: refused")
	case m&fs.ModeDevice != 0:
		return errors.New("a device, not a file: refused")
	case m.IsDir():
		return errors.New("a folder, not a file")
	case m&fs.ModeSymlink != 0:
		return errors.New("a symbolic link, not followed")
	}
	return fmt.Errorf("not a regular file (%v): refused", m.Type())
}

// openFlags open evidence read-only, without blocking on a FIFO and without
// making a terminal the controlling terminal.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY

// regularOnly checks an open file's type on its descriptor (no race with a
// rename) and clears O_NONBLOCK for the read.
func regularOnly(f *os.File) (*os.File, fs.FileInfo, error) {
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fileTypeError(st.Mode())
	}
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { syscall.SetNonblock(int(fd), false) })
	}
	return f, st, nil
}

// OpenRegular opens a file the analyst named that is not evidence (a
// report for merge or diff) as evidence is opened: read-only, a regular
// file only (a FIFO, a device or a folder is refused, never opened
// blocking), its type checked on the descriptor.
func OpenRegular(p string) (*os.File, fs.FileInfo, error) { return openHostFile(p) }

// openHostFile opens a path of this machine as evidence: it must be a
// regular file (after symbolic links: the analyst named it). The type is
// checked before the open too, since opening a device may act on it.
func openHostFile(p string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, cleanPathError(err)
	}
	if !st.Mode().IsRegular() {
		return nil, nil, fileTypeError(st.Mode())
	}
	f, err := os.OpenFile(p, openFlags, 0)
	if err != nil {
		return nil, nil, cleanPathError(err)
	}
	return regularOnly(f)
}

// tree is a folder read from inside: an *os.Root confines every open to
// it, and links are resolved here, component by component.
type tree struct {
	root *os.Root
	dir  string // the folder as given, for the paths shown
	// chroot resolves links as a chroot of the folder would: absolute
	// targets start at the folder, ".." stops at it (an evidence image).
	// Otherwise a link that leaves the folder is refused.
	chroot bool
}

func openTree(dir string, chroot bool) (*tree, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, cleanPathError(err)
	}
	return &tree{root: r, dir: dir, chroot: chroot}, nil
}

func (t *tree) show(rel string) string { return filepath.Join(t.dir, filepath.FromSlash(rel)) }

// resolve follows the links of rel inside the tree and returns the path
// they lead to, free of links. It is iterative and bounded by maxLinks.
func (t *tree) resolve(rel string) (string, error) {
	var done []string
	todo := strings.Split(filepath.ToSlash(rel), "/")
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				if !t.chroot {
					return "", errLinkLeaves
				}
				continue // the root's parent is the root
			}
			done = done[:len(done)-1]
			continue
		}
		cur := strings.Join(append(done, c), "/")
		st, err := t.root.Lstat(cur)
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", errLinkLoop
		}
		target, err := t.root.Readlink(cur)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(target, "/") {
			if !t.chroot {
				return "", errLinkLeaves
			}
			done = done[:0]
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return strings.Join(done, "/"), nil
}

// open opens a resolved, link-free path of the tree as evidence.
func (t *tree) open(rel string) (*os.File, fs.FileInfo, error) {
	f, err := t.root.OpenFile(rel, openFlags, 0)
	if err != nil {
		return nil, nil, cleanPathError(err)
	}
	return regularOnly(f)
}

// sibling opens files beside rel (a container's config.v2.json) by the
// tree's rules. Errors keep fs.ErrNotExist for an absent file.
func (t *tree) sibling(rel string) func(string) (*os.File, error) {
	return func(name string) (*os.File, error) {
		res, err := t.resolve(path.Join(path.Dir(rel), name))
		if err != nil {
			return nil, err
		}
		f, _, err := t.open(res)
		return f, err
	}
}

// hostSibling opens files beside a file of this machine; a link there is
// not followed: the folder is the attacker's.
func hostSibling(p string) func(string) (*os.File, error) {
	return func(name string) (*os.File, error) {
		f, err := os.OpenFile(filepath.Join(filepath.Dir(p), name), openFlags|syscall.O_NOFOLLOW, 0)
		if errors.Is(err, syscall.ELOOP) {
			return nil, fileTypeError(fs.ModeSymlink)
		}
		if err != nil {
			return nil, err
		}
		f, _, err = regularOnly(f)
		return f, err
	}
}

// resolver gathers the inputs of one command line.
type resolver struct {
	stdin     io.Reader
	stdinUsed bool
	ins       []*Input
	skipped   []SkippedInput
	seen      map[fileID]bool
	seenDirs  map[fileID]bool
}

type fileID struct{ dev, ino uint64 }

func fileIDOf(st fs.FileInfo) (fileID, bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{uint64(s.Dev), s.Ino}, true
}

func newResolver(stdin io.Reader) *resolver {
	return &resolver{stdin: stdin, seen: map[fileID]bool{}, seenDirs: map[fileID]bool{}}
}

func (r *resolver) skip(p string, err error) {
	r.skipped = append(r.skipped, SkippedInput{p, err.Error()})
}

// arg takes one command-line argument.
func (r *resolver) arg(a string) {
	if a == "-" {
		r.stdinArg()
		return
	}
	if _, err := os.Lstat(a); err == nil || !hasMeta(a) {
		r.path(a, true)
		return
	}
	m, err := filepath.Glob(a)
	switch {
	case err != nil:
		r.skip(a, fmt.Errorf("bad pattern: %w", err))
	case len(m) == 0:
		r.skip(a, errors.New("no file matches this pattern"))
	}
	for _, p := range m {
		r.path(p, false) // a match is a name, never a pattern again
	}
}

func (r *resolver) stdinArg() {
	switch {
	case r.stdin == nil:
		r.skip("-", errors.New("no standard input"))
	case r.stdinUsed:
		r.skip("-", errStdinTwice)
	default:
		r.stdinUsed = true
		in, err := sniffStdin(r.stdin)
		if err != nil {
			r.skip("-", err)
			return
		}
		r.ins = append(r.ins, in)
	}
}

// path takes a path of this machine: a file, or a folder read from inside.
// Links are followed when the analyst named the path (named), not when a
// pattern matched it.
func (r *resolver) path(p string, named bool) {
	st, err := os.Lstat(p)
	if err != nil {
		r.skip(p, cleanPathError(err))
		return
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		if !named {
			r.skip(p, errGlobLink)
			return
		}
		if st, err = os.Stat(p); err != nil {
			r.skip(p, linkError(err))
			return
		}
	}
	if st.IsDir() {
		t, err := openTree(p, false)
		if err != nil {
			r.skip(p, err)
			return
		}
		r.walk(t, ".")
		return
	}
	r.file(p, func() (*os.File, fs.FileInfo, error) { return openHostFile(p) }, hostSibling(p))
}

// linkError names what is wrong with a link that cannot be followed.
func linkError(err error) error {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return errLinkLoop
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("symbolic link to nothing (dangling)")
	case errors.Is(err, errLinkLoop), errors.Is(err, errLinkLeaves):
		return err
	}
	return cleanPathError(err)
}

// file sniffs one regular file. open is called again for the real read.
func (r *resolver) file(p string, open func() (*os.File, fs.FileInfo, error), sibling func(string) (*os.File, error)) {
	if dockerSideFiles[filepath.Base(p)] && strings.Contains(filepath.ToSlash(p), "/containers/") {
		r.skip(p, errors.New("Docker container configuration, read with the container's log"))
		return
	}
	f, st, err := open()
	if err != nil {
		r.skip(p, err)
		return
	}
	defer f.Close()
	if id, ok := fileIDOf(st); ok {
		if r.seen[id] {
			return // the same file by another name: read once
		}
		r.seen[id] = true
	}
	in := &Input{Path: p, size: st.Size(), sibling: sibling, open: func() (io.ReadCloser, error) {
		f, _, err := open()
		if err != nil {
			return nil, err // a nil *os.File must not become a non-nil ReadCloser
		}
		return f, nil
	}}
	if err := sniffInput(in, f); err != nil {
		r.skip(p, err)
		return
	}
	r.ins = append(r.ins, in)
}

// walk reads a folder of a tree and its sub-folders, iteratively: the
// depth is the attacker's. Links to files are resolved inside the tree;
// links to folders are not followed (no loops, no second copy).
func (r *resolver) walk(t *tree, start string) {
	before := len(r.ins) + len(r.skipped)
	stack := []string{start}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		f, err := t.root.Open(d)
		if err != nil {
			r.skip(t.show(d), cleanPathError(err))
			continue
		}
		if st, err := f.Stat(); err == nil {
			if id, ok := fileIDOf(st); ok {
				if r.seenDirs[id] {
					f.Close()
					continue // a bind mount of a folder already read
				}
				r.seenDirs[id] = true
			}
		}
		ents, err := f.ReadDir(-1)
		f.Close()
		if err != nil {
			r.skip(t.show(d), fmt.Errorf("folder not read whole: %w", cleanPathError(err)))
		}
		sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
		var sub []string
		for _, e := range ents {
			rel := e.Name()
			if d != "." {
				rel = d + "/" + e.Name()
			}
			if e.IsDir() {
				sub = append(sub, rel)
				continue
			}
			r.entry(t, rel, e.Type())
		}
		slices.Reverse(sub) // the first sub-folder is read next
		stack = append(stack, sub...)
	}
	if len(r.ins)+len(r.skipped) == before {
		r.skip(t.show(start), errors.New("folder holds no files"))
	}
}

// entry takes a file found in a tree (not a folder): a regular file is
// read, a link followed by link, anything else skipped with its type.
func (r *resolver) entry(t *tree, rel string, typ fs.FileMode) {
	switch {
	case typ.IsRegular():
		r.file(t.show(rel), func() (*os.File, fs.FileInfo, error) { return t.open(rel) }, t.sibling(rel))
	case typ&fs.ModeSymlink != 0:
		r.link(t, rel)
	default:
		r.skip(t.show(rel), fileTypeError(typ))
	}
}

// link follows a link found in a tree when it leads to a regular file of
// the tree.
func (r *resolver) link(t *tree, rel string) {
	res, err := t.resolve(rel)
	if err != nil {
		r.skip(t.show(rel), linkError(err))
		return
	}
	st, err := t.root.Lstat(res)
	switch {
	case err != nil:
		r.skip(t.show(rel), linkError(err))
	case st.IsDir():
		r.skip(t.show(rel), errLinkToDir)
	case !st.Mode().IsRegular():
		r.skip(t.show(rel), fileTypeError(st.Mode()))
	default:
		r.file(t.show(rel), func() (*os.File, fs.FileInfo, error) { return t.open(res) }, t.sibling(res))
	}
}

// done orders the inputs: auditd inputs host by host, each host's by the
// time of their first record (so audit.log.4 … audit.log read oldest first
// whatever their names), others by path. The audit logs are read one after
// another in this order, and audit logs never span hosts: with each host's
// logs together, a scan can read the hosts side by side and join them as
// this order reads them (cmd/auditchain/scanhosts.go). The host is the one
// the sniffer saw at an input's head (HeadNode; inputs without one, or
// naming several, go with the records that name none); hosts come in the
// order of their oldest record.
func (r *resolver) done() ([]*Input, []SkippedInput) {
	ins := r.ins
	group := func(in *Input) string {
		if in.headNodeOK {
			return in.headNode
		}
		return ""
	}
	oldest := map[string]time.Time{}
	for _, in := range ins {
		if in.Format != FormatAuditd || in.first.IsZero() {
			continue
		}
		if t, ok := oldest[group(in)]; !ok || in.first.Before(t) {
			oldest[group(in)] = in.first
		}
	}
	sort.SliceStable(ins, func(i, j int) bool {
		a, b := ins[i], ins[j]
		if (a.Format == FormatAuditd) != (b.Format == FormatAuditd) {
			return a.Format == FormatAuditd
		}
		if ga, gb := group(a), group(b); a.Format == FormatAuditd && ga != gb {
			ta, tb := oldest[ga], oldest[gb]
			if !ta.Equal(tb) {
				if ta.IsZero() || tb.IsZero() {
					return !ta.IsZero()
				}
				return ta.Before(tb)
			}
			return ga < gb
		}
		if !a.first.Equal(b.first) {
			if a.first.IsZero() || b.first.IsZero() {
				return !a.first.IsZero()
			}
			return a.first.Before(b.first)
		}
		return a.Path < b.Path
	})
	return ins, r.skipped
}

// Image is a mounted evidence image (--root). Everything read from it is
// read inside it: its links resolve as in a chroot of the image.
type Image struct {
	Dir string
	t   *tree
}

// OpenImage opens an evidence image folder.
func OpenImage(dir string) (*Image, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--root %s: %w", dir, cleanPathError(err))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("--root %s: not a folder", dir)
	}
	t, err := openTree(dir, true)
	if err != nil {
		return nil, fmt.Errorf("--root %s: %w", dir, err)
	}
	return &Image{Dir: dir, t: t}, nil
}

// imageLogDirs are the folders of an image that hold logs this tool reads.
var imageLogDirs = []string{"var/log/audit", "var/log/pods", "var/log/nginx", "var/log/apache2", "var/log/httpd"}

// ResolveImage is Resolve for the evidence an image holds (audit logs, web
// server logs, container logs) and the arguments beside it. It fails when
// the image holds none of the folders this tool reads.
func ResolveImage(im *Image, args []string, stdin io.Reader) ([]*Input, []SkippedInput, error) {
	r := newResolver(stdin)
	found := 0
	for _, d := range imageLogDirs {
		if r.imageDir(im.t, d) {
			found++
		}
	}
	if r.imageDir(im.t, "var/lib/docker/containers") {
		found++
	}
	if found == 0 {
		return nil, r.skipped, fmt.Errorf("--root %s: no var/log/audit, var/lib/docker/containers or var/log/pods inside", im.Dir)
	}
	for _, a := range args {
		r.arg(a)
	}
	ins, skipped := r.done()
	return ins, skipped, nil
}

// imageDir reads one log folder of an image; it reports whether the
// folder is there. Docker's containers folder holds configuration beside
// the logs: only <id>/*-json.log* are read there (the decoder reads
// config.v2.json itself).
func (r *resolver) imageDir(t *tree, d string) bool {
	res, err := t.resolve(d)
	if errors.Is(err, fs.ErrNotExist) {
		return false // an image without that service
	}
	if err != nil {
		r.skip(t.show(d), linkError(err))
		return true
	}
	st, err := t.root.Lstat(res)
	if err != nil || !st.IsDir() {
		r.skip(t.show(d), errors.New("not a folder"))
		return true
	}
	if d != "var/lib/docker/containers" {
		r.walk(t, res)
		return true
	}
	conts, err := readDirSorted(t, res)
	if err != nil {
		r.skip(t.show(res), cleanPathError(err))
	}
	for _, c := range conts {
		cdir := res + "/" + c.Name()
		if !c.IsDir() {
			continue // not a container's folder
		}
		files, err := readDirSorted(t, cdir)
		if err != nil {
			r.skip(t.show(cdir), cleanPathError(err))
		}
		for _, e := range files {
			// the name is matched, never used as a pattern
			if ok, _ := filepath.Match("*-json.log*", e.Name()); !ok {
				continue
			}
			r.entry(t, cdir+"/"+e.Name(), e.Type())
		}
	}
	return true
}

func readDirSorted(t *tree, d string) ([]fs.DirEntry, error) {
	f, err := t.root.Open(d)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	return ents, err
}

// ContextFile reads a context file of the image (etc/passwd, etc/group)
// whole, resolved inside the image. It returns nil, nil, nil when the
// image has no such file. Errors do not repeat the path.
func (im *Image) ContextFile(rel string, format Format) ([]byte, *Input, error) {
	res, err := im.t.resolve(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, linkError(err)
	}
	return readContext(im.t.show(rel), format, func() (*os.File, fs.FileInfo, error) { return im.t.open(res) })
}

// Path returns the path on this machine of a file of the image, its links
// resolved inside the image, for readers that take a path; "" when the
// image has no such file.
func (im *Image) Path(rel string) (string, error) {
	res, err := im.t.resolve(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", im.t.show(rel), linkError(err))
	}
	return im.t.show(res), nil
}

// ContextFile reads a context file of this machine (--passwd, --group,
// --audit-rules) whole, as evidence: a regular file only. Errors do not
// repeat the path.
func ContextFile(p string, format Format) ([]byte, *Input, error) {
	return readContext(p, format, func() (*os.File, fs.FileInfo, error) { return openHostFile(p) })
}

func readContext(show string, format Format, open func() (*os.File, fs.FileInfo, error)) ([]byte, *Input, error) {
	f, _, err := open()
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxContextFile+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) > maxContextFile {
		return nil, nil, fmt.Errorf("larger than %d MiB, not a %s file", maxContextFile>>20, format)
	}
	sum := sha256.Sum256(b)
	return b, &Input{Path: show, Format: format, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(b))}, nil
}
