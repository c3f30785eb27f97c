package parser

import (
	"strconv"
	"testing"
)

// TestInodeNames: a target named relative to a directory descriptor gets
// the absolute name other records of its host gave the same inode, only
// when that name ends with the relative one; a deleted inode, another
// device, another host or a failed call give none.
func TestInodeNames(t *testing.T) {
	rec := func(host, name, nametype, dev string, ino uint64, ok bool) *Event {
		ev := &Event{Kind: KindFileRead, Host: host, Success: ok, Path: name,
			Paths: []PathRecord{{Name: name, Nametype: nametype, Dev: dev, Inode: ino}}}
		return ev
	}
	for _, c := range []struct {
		name    string
		before  []*Event
		rel     *Event
		want    string
		byInode bool
	}{
		{"named by an earlier read", []*Event{rec("h", "/etc/shadow", "NORMAL", "fe:00", 7, true)},
			rec("h", "etc/shadow", "NORMAL", "fe:00", 7, true), "/etc/shadow", true},
		{"tar's ./ prefix", []*Event{rec("h", "/etc/shadow", "NORMAL", "fe:00", 7, true)},
			rec("h", "./etc/shadow", "NORMAL", "fe:00", 7, true), "/etc/shadow", true},
		{"no earlier name", nil, rec("h", "etc/shadow", "NORMAL", "fe:00", 7, true), "etc/shadow", false},
		{"deleted since", []*Event{rec("h", "/etc/shadow", "NORMAL", "fe:00", 7, true), rec("h", "/etc/shadow", "DELETE", "fe:00", 7, true)},
			rec("h", "etc/shadow", "NORMAL", "fe:00", 7, true), "etc/shadow", false},
		{"another device", []*Event{rec("h", "/etc/shadow", "NORMAL", "fe:00", 7, true)},
			rec("h", "etc/shadow", "NORMAL", "fe:01", 7, true), "etc/shadow", false},
		{"another host", []*Event{rec("a", "/etc/shadow", "NORMAL", "fe:00", 7, true)},
			rec("b", "etc/shadow", "NORMAL", "fe:00", 7, true), "etc/shadow", false},
		{"a reused inode of another file", []*Event{rec("h", "/tmp/x", "CREATE", "fe:00", 7, true)},
			rec("h", "etc/shadow", "NORMAL", "fe:00", 7, true), "etc/shadow", false},
		{"a failed call names nothing", []*Event{rec("h", "/etc/shadow", "NORMAL", "fe:00", 7, false)},
			rec("h", "etc/shadow", "NORMAL", "fe:00", 7, true), "etc/shadow", false},
	} {
		var m inodeNames
		for _, ev := range c.before {
			m.observe(ev)
		}
		m.observe(c.rel)
		if c.rel.Path != c.want || c.rel.PathByInode != c.byInode {
			t.Errorf("%s: Path %q (by inode %v), want %q (%v)", c.name, c.rel.Path, c.rel.PathByInode, c.want, c.byInode)
		}
	}
	var m inodeNames
	for i := 0; i < maxInodeNames+10; i++ {
		m.observe(rec("h", "/srv/f"+strconv.Itoa(i), "CREATE", "fe:00", uint64(i+1), true))
	}
	if len(m) > maxInodeNames {
		t.Errorf("%d inodes kept, bound %d", len(m), maxInodeNames)
	}
}

// TestInodeNamesByParent: a file created relative to a directory
// descriptor (tar -C dir) is named by its PARENT item's inode when a
// record named that directory — mkdir -p making it by a name relative to
// its cwd included — and never by the PARENT item's own name, which for
// such a call is not the directory's (hivelog-rpcsend's tar logged its
// cwd there).
func TestInodeNamesByParent(t *testing.T) {
	mkdir := &Event{Kind: KindFileWrite, Host: "h", Success: true, Cwd: "/srv/app/tmp/cache", Path: "/srv/app/tmp/cache/.ht",
		Paths: []PathRecord{{Name: "/srv/app/tmp/cache", Nametype: "PARENT", Dev: "fe:00", Inode: 10}, {Name: ".ht", Nametype: "CREATE", Dev: "fe:00", Inode: 44}}}
	created := func(name string, parentIno uint64) *Event {
		return &Event{Kind: KindFileWrite, Host: "h", Success: true, Cwd: "/srv/app", Path: name,
			Paths: []PathRecord{{Name: "/srv/app", Nametype: "PARENT", Dev: "fe:00", Inode: parentIno}, {Name: name, Nametype: "CREATE", Dev: "fe:00", Inode: 45}}}
	}
	for _, c := range []struct {
		name    string
		ev      *Event
		want    string
		byInode bool
	}{
		{"the directory mkdir named", created("g", 44), "/srv/app/tmp/cache/.ht/g", true},
		{"a name with its own folder that ends the directory's", created(".ht/g", 44), "/srv/app/tmp/cache/.ht/g", true},
		{"a name whose folder is not the directory's", created("x/g", 44), "x/g", false},
		{"a directory never named", created("g", 99), "g", false},
		{"a name climbing out", created("../g", 44), "../g", false},
	} {
		var m inodeNames
		m.observe(mkdir)
		m.observe(c.ev)
		if c.ev.Path != c.want || c.ev.PathByInode != c.byInode {
			t.Errorf("%s: Path %q (by inode %v), want %q (%v)", c.name, c.ev.Path, c.ev.PathByInode, c.want, c.byInode)
		}
	}
}
