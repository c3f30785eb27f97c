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
		for _, p := range ev.Paths {
			if p.Name == ev.Path && p.Inode != 0 && p.Nametype != "PARENT" && p.Nametype != "DELETE" {
				// the same device and inode, and the relative name is the
				// absolute one's tail: a reused inode of another file fails
				if name, ok := (*m)[inodeKey{ev.Host, p.Dev, p.Inode}]; ok && strings.HasSuffix(name, "/"+path.Clean(p.Name)) {
					ev.Path, ev.PathByInode = name, true
				}
				break
			}
		}
	}
	if ev.Kind == KindExec {
		return // a program's and its loader's names: not what a dirfd names
	}
	for _, p := range ev.Paths {
		if p.Inode == 0 || !strings.HasPrefix(p.Name, "/") {
			continue
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
			(*m)[k] = p.Name
		case "DELETE":
			if ev.Success {
				delete(*m, k)
			}
		}
	}
}
