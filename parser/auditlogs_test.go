package parser

import (
	"strings"
	"testing"
)

// TestLongLine: EXECVE records of a huge argv reach past 64 KiB in some
// re-emitted logs; such a line is read whole, not cut or fatal.
func TestLongLine(t *testing.T) {
	arg := strings.Repeat("41", 70000) // 70 000 bytes of 'A', hex-encoded
	log := "type=SYSCALL msg=audit(10.000:1): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=0 euid=0 comm=\"x\" exe=\"/bin/x\" key=(null)\n" +
		"type=EXECVE msg=audit(10.000:1): argc=2 a0=\"x\" a1=" + arg + "\n" +
		"type=PROCTITLE msg=audit(10.000:1): proctitle=78\n"
	evs, in := readString(t, log)
	if len(evs) != 1 || len(evs[0].Args) != 2 || len(evs[0].Args[1]) != 70000 {
		t.Fatalf("got %d events, args %d", len(evs), len(evs[0].Args))
	}
	if in.Malformed != 0 {
		t.Errorf("malformed = %d", in.Malformed)
	}
}

// TestSplitArgument joins a[0..n] parts of an argument split by the kernel,
// even when its records interleave with another event's.
func TestSplitArgument(t *testing.T) {
	log := `type=SYSCALL msg=audit(10.000:5): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=33 euid=33 comm="sh" exe="/bin/dash" key=(null)
type=EXECVE msg=audit(10.000:5): argc=3 a0="sh" a1="-c" a2_len=8 a2[0]=6964
type=CWD msg=audit(10.000:6): cwd="/"
type=EXECVE msg=audit(10.000:5):  a2[1]=3B6C73
type=PROCTITLE msg=audit(10.000:5): proctitle=7368
`
	evs, _ := readString(t, log)
	var got []string
	for _, e := range evs {
		if e.Kind == KindExec {
			got = e.Args
		}
	}
	if strings.Join(got, "|") != "sh|-c|id;ls" {
		t.Fatalf("args = %q", got)
	}
}

// TestSplitArgumentQuoted: the kernel quotes the parts of a long argument
// that needs no encoding (a cp --parents of 1797 files on lab-hold9's
// capture); they are its text, not damaged hex.
func TestSplitArgumentQuoted(t *testing.T) {
	log := `type=SYSCALL msg=audit(10.000:5): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=0 euid=0 comm="cp" exe="/usr/bin/cp" key=(null)
type=EXECVE msg=audit(10.000:5): argc=3 a0="cp" a1="--parents" a2_len=22 a2[0]="/srv/yard/tickets/"
type=EXECVE msg=audit(10.000:5): a2[1]="2026.csv"
type=PROCTITLE msg=audit(10.000:5): proctitle=6370
`
	evs, in := readString(t, log)
	var got []string
	for _, e := range evs {
		if e.Kind == KindExec {
			got = e.Args
		}
	}
	if strings.Join(got, "|") != "cp|--parents|/srv/yard/tickets/2026.csv" || in.Malformed != 0 {
		t.Fatalf("args = %q, malformed %d", got, in.Malformed)
	}
}

func readString(t *testing.T, log string) ([]*Event, *Input) {
	t.Helper()
	ins, skipped := Resolve([]string{"-"}, strings.NewReader(log))
	if len(skipped) > 0 {
		t.Fatalf("skipped %v", skipped)
	}
	r := NewReader(ins, Options{})
	var evs []*Event
	if err := r.All(func(e *Event) { evs = append(evs, e) }); err != nil {
		t.Fatal(err)
	}
	return evs, ins[0]
}

// TestDirfdRelativeNames: a name given relative to a directory descriptor
// (tar -C, rm -r, find -delete) is relative to a directory the log does not
// name; joined to the cwd it would place the file where it never was
// (benign-busy: tar xzf … -C /var/www/html/plugins, run in /tmp, writes
// "reviews/widget.php" through fd 5). It stays relative; a name relative
// to the cwd (AT_FDCWD, logged ffffff9c) is still made absolute.
func TestDirfdRelativeNames(t *testing.T) {
	const lines = `type=SYSCALL msg=audit(1796295438.490:9691): arch=c000003e syscall=257 success=yes exit=6 a0=5 a1=55c8c4496230 a2=809c1 a3=1a4 items=2 ppid=17726 pid=17729 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm="tar" exe="/usr/bin/tar" key="webroot_write"
type=CWD msg=audit(1796295438.490:9691): cwd="/tmp"
type=PATH msg=audit(1796295438.490:9691): item=0 name="reviews/" inode=804700 dev=fe:00 mode=040755 ouid=33 ogid=33 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796295438.490:9691): item=1 name="reviews/widget.php" inode=804702 dev=fe:00 mode=0100644 ouid=33 ogid=33 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=EOE msg=audit(1796295438.490:9691):
type=SYSCALL msg=audit(1796295438.500:9692): arch=c000003e syscall=257 success=yes exit=6 a0=ffffff9c a1=55c8c4496230 a2=241 a3=1a4 items=2 ppid=17726 pid=17729 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm="tar" exe="/usr/bin/tar" key="webroot_write"
type=CWD msg=audit(1796295438.500:9692): cwd="/var/www/html"
type=PATH msg=audit(1796295438.500:9692): item=0 name="cache/" inode=804700 dev=fe:00 mode=040755 ouid=33 ogid=33 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796295438.500:9692): item=1 name="cache/a.php" inode=804703 dev=fe:00 mode=0100644 ouid=33 ogid=33 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=EOE msg=audit(1796295438.500:9692):
type=SYSCALL msg=audit(1796295438.510:9693): arch=c000003e syscall=316 success=yes exit=0 a0=ffffff9c a1=55c8c4496230 a2=7 a3=55c8c4496240 items=4 ppid=17726 pid=17729 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm="mv" exe="/usr/bin/mv" key="webroot_write"
type=CWD msg=audit(1796295438.510:9693): cwd="/tmp"
type=PATH msg=audit(1796295438.510:9693): item=0 name="/tmp" inode=1 dev=fe:00 mode=041777 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796295438.510:9693): item=1 name="x" inode=804701 dev=fe:00 mode=040755 ouid=33 ogid=33 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796295438.510:9693): item=2 name="k.php" inode=804704 dev=fe:00 mode=0100644 ouid=33 ogid=33 rdev=00:00 nametype=DELETE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796295438.510:9693): item=3 name="k.php" inode=804704 dev=fe:00 mode=0100644 ouid=33 ogid=33 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=EOE msg=audit(1796295438.510:9693):
`
	evs, _ := readString(t, lines)
	want := map[uint64][2]string{
		9691: {"reviews/widget.php", ""},
		9692: {"/var/www/html/cache/a.php", ""},
		9693: {"k.php", "/tmp/k.php"}, // renameat2(AT_FDCWD, "k.php", 7, "k.php")
	}
	n := 0
	for _, ev := range evs {
		w, ok := want[ev.Serial]
		if !ok {
			continue
		}
		n++
		if ev.Path != w[0] || ev.OldPath != w[1] {
			t.Errorf("serial %d: path %q old %q, want %q %q", ev.Serial, ev.Path, ev.OldPath, w[0], w[1])
		}
	}
	if n != len(want) {
		t.Fatalf("%d of %d events read", n, len(want))
	}
}

// TestDotDotNamesRead: an absolute name with ".." in it is the file it
// reaches, read lexically as the relative names are (shop-import: unzip
// writes the zip-slip member ".../incoming/<batch>/../../../img/pxl.php",
// which the intruder later removes as /var/www/html/img/pxl.php: the two
// are one file). The PATH record keeps the name as the kernel logged it.
func TestDotDotNamesRead(t *testing.T) {
	const lines = `type=SYSCALL msg=audit(1796302494.083:9701): arch=c000003e syscall=257 success=yes exit=4 a0=ffffff9c a1=55c8c4496230 a2=241 a3=1a4 items=2 ppid=8230 pid=8231 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm="unzip" exe="/usr/bin/unzip" key="webroot_write"
type=CWD msg=audit(1796302494.083:9701): cwd="/var/www/html/admin"
type=PATH msg=audit(1796302494.083:9701): item=0 name="/var/www/html/catalog/incoming/b1/../../../img/" inode=804700 dev=fe:00 mode=040755 ouid=33 ogid=33 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796302494.083:9701): item=1 name="/var/www/html/catalog/incoming/b1/../../../img/pxl.php" inode=804702 dev=fe:00 mode=0100644 ouid=33 ogid=33 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=EOE msg=audit(1796302494.083:9701):
`
	evs, _ := readString(t, lines)
	if len(evs) == 0 {
		t.Fatal("no event read")
	}
	ev := evs[len(evs)-1]
	if ev.Path != "/var/www/html/img/pxl.php" {
		t.Errorf("path %q, want /var/www/html/img/pxl.php", ev.Path)
	}
	if len(ev.Paths) < 2 || !strings.Contains(ev.Paths[1].Name, "/../") {
		t.Errorf("the PATH record's name was changed: %+v", ev.Paths)
	}
}

// TestFileCapabilitiesRead: an exec's PATH record keeps the permitted
// file capabilities (cap_fp, hex): shop-giftcard's copy of tar with
// cap_dac_read_search (bit 2); none is 0, in raw and enriched logs alike.
func TestFileCapabilitiesRead(t *testing.T) {
	const lines = "type=SYSCALL msg=audit(1796541971.472:32273): arch=c000003e syscall=59 success=yes exit=0 a0=55e98ae639f8 a1=55e98ae63a90 a2=55e98ae63ad8 a3=0 items=2 ppid=9187 pid=9307 auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"shop-snapshot\" exe=\"/usr/local/bin/shop-snapshot\" key=\"detect_execve_www\"\x1dARCH=x86_64 SYSCALL=execve AUID=\"unset\" UID=\"www-data\"\n" +
		"type=EXECVE msg=audit(1796541971.472:32273): argc=4 a0=\"/usr/local/bin/shop-snapshot\" a1=\"-cf\" a2=\"-\" a3=\"/home/alice/.ssh/id_ed25519\"\n" +
		"type=PATH msg=audit(1796541971.472:32273): item=0 name=\"/usr/local/bin/shop-snapshot\" inode=7798796 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0000000000000004 cap_fi=0 cap_fe=1 cap_fver=2 cap_frootid=0\x1dOUID=\"root\" OGID=\"root\"\n" +
		"type=PATH msg=audit(1796541971.472:32273): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=325835 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"root\" OGID=\"root\"\n" +
		"type=EOE msg=audit(1796541971.472:32273):\n"
	evs, _ := readString(t, lines)
	if len(evs) == 0 || len(evs[len(evs)-1].Paths) != 2 {
		t.Fatalf("no exec with two PATH records read: %+v", evs)
	}
	ps := evs[len(evs)-1].Paths
	if ps[0].CapFP != 4 || ps[1].CapFP != 0 {
		t.Errorf("cap_fp %x and %x, want 4 and 0", ps[0].CapFP, ps[1].CapFP)
	}
}

// TestRenameOverTarget: a rename onto a file that exists (sed -i's
// temporary file onto the file it edits) logs the replaced target as a
// DELETE after the old name; the old name is the DELETE of the moved
// inode, not the replaced one (shop-cartcache: "rename lab-shop →
// lab-shop" was told for sed's sed54KmaL → lab-shop, and the temporary
// name was listed as an IOC).
func TestRenameOverTarget(t *testing.T) {
	const lines = `type=SYSCALL msg=audit(1796553613.524:51556): arch=c000003e syscall=82 success=yes exit=0 a0=55bb83fa0ba0 a1=7ffe5712aedd a2=55bed841b07d a3=7f4f5c015528 items=5 ppid=1488 pid=1495 auid=2002 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=205 comm="sed" exe="/usr/bin/sed" key="webserver_config"
type=CWD msg=audit(1796553613.524:51556): cwd="/home/alice"
type=PATH msg=audit(1796553613.524:51556): item=0 name="/etc/nginx/sites-available/" inode=1196071 dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796553613.524:51556): item=1 name="/etc/nginx/sites-available/" inode=1196071 dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796553613.524:51556): item=2 name="/etc/nginx/sites-available/sed54KmaL" inode=1196241 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=DELETE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796553613.524:51556): item=3 name="/etc/nginx/sites-available/lab-shop" inode=1196214 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=DELETE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1796553613.524:51556): item=4 name="/etc/nginx/sites-available/lab-shop" inode=1196241 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=EOE msg=audit(1796553613.524:51556):
`
	evs, _ := readString(t, lines)
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	if ev := evs[0]; ev.OldPath != "/etc/nginx/sites-available/sed54KmaL" || ev.Path != "/etc/nginx/sites-available/lab-shop" {
		t.Errorf("rename %q → %q, want sed54KmaL → lab-shop", ev.OldPath, ev.Path)
	}
}
