package parser

import (
	"path"
	"strings"
)

// A name given relative to a directory descriptor (openat(fd, "etc/shadow")
// after tar -C /, rm -r, find -delete) is relative to a directory the log
// does not name, so the decoder leaves it relative (setPaths). The PATH
// record still gives the file's device and inode, and other records of the
// same host name that inode by its absolute path (sudo, su and login read
// /etc/shadow by name all day). inodeNames keeps, per host, the absolute
// name each inode was last given, in the reader's time order, and names a
// relative target by it: Event.PathByInode says so, and the record's own
// relative name stays in Paths.
//
// Inode numbers are reused once a file is deleted: a DELETE record drops
// its inode, and a name is taken only from the same device. The table is
// bounded (maxInodeNames); when full it starts again, so memory stays
// flat whatever the log, at the cost of names learned before the reset.
const maxInodeNames = 1 << 16

type inodeKey struct {
	host string
	dev  string
	ino  uint64
}

type inodeNames map[inodeKey]string

// observe learns the absolute names ev gives and resolves its relative
// target.
func (m *inodeNames) observe(ev *Event) {
	if len(ev.Paths) == 0 {
		return
	}
	if ev.Path != "" && !strings.HasPrefix(ev.Path, "/") && ev.Success {
		m.resolve(ev)
	}
	if ev.Kind == KindExec {
		return // a program's and its loader's names: not what a dirfd names
	}
	for _, p := range ev.Paths {
		if p.Inode == 0 {
			continue
		}
		name := p.Name
		if !strings.HasPrefix(name, "/") {
			// a relative name the decoder made absolute with the cwd or the
			// PARENT record (mkdir -p's ".ht" in its cwd): the event's
			// path, when it is this item's. A dirfd-relative one stays
			// relative and names nothing (resolve, below, may have named
			// it by inode: then it is the learned name again)
			if p.Nametype == "PARENT" || p.Nametype == "DELETE" || !strings.HasPrefix(ev.Path, "/") || ev.PathByInode || path.Base(ev.Path) != path.Base(name) {
				continue
			}
			name = ev.Path
		}
		k := inodeKey{ev.Host, p.Dev, p.Inode}
		switch p.Nametype {
		case "NORMAL", "CREATE":
			if !ev.Success {
				continue
			}
			if *m == nil || len(*m) >= maxInodeNames {
				*m = inodeNames{}
			}
			(*m)[k] = name
		case "DELETE":
			if ev.Success {
				delete(*m, k)
			}
		}
	}
}

// resolve names a dirfd-relative target: by its own inode, when another
// record named that inode by an absolute name ending with the relative one
// (sudo reading /etc/shadow by name all day); else by its PARENT item's
// inode, the directory the descriptor is open on, when a record named that
// directory (tar -C .ht writing g: mkdir named .ht when it made it). The
// PARENT item's own name is not used: for a dirfd-relative call the kernel
// logs there a name that is not the directory's (hivelog-rpcsend: the
// process's cwd).
func (m *inodeNames) resolve(ev *Event) {
	var parent *PathRecord
	for i := range ev.Paths {
		p := &ev.Paths[i]
		if p.Nametype == "PARENT" {
			parent = p
			continue
		}
		if p.Name != ev.Path || p.Inode == 0 || p.Nametype == "DELETE" {
			continue
		}
		// the same device and inode, and the relative name is the
		// absolute one's tail: a reused inode of another file fails
		if name, ok := (*m)[inodeKey{ev.Host, p.Dev, p.Inode}]; ok && strings.HasSuffix(name, "/"+path.Clean(p.Name)) {
			ev.Path, ev.PathByInode = name, true
			return
		}
	}
	if parent == nil || parent.Inode == 0 {
		return
	}
	dir, ok := (*m)[inodeKey{ev.Host, parent.Dev, parent.Inode}]
	if !ok {
		return
	}
	rel := path.Clean(ev.Path)
	if rel == "." || strings.HasPrefix(rel, "../") || rel == ".." {
		return
	}
	// the PARENT item is the last component's directory: a name with
	// folders of its own ("a/b") must end the directory's name with them
	if d := path.Dir(rel); d != "." && !strings.HasSuffix(dir, "/"+d) {
		return
	}
	ev.Path, ev.PathByInode = path.Join(dir, path.Base(rel)), true
}
