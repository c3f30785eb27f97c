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
