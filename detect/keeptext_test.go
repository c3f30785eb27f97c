package detect

import (
	"testing"
	"unsafe"

	"github.com/auditchain/auditchain/parser"
)

// TestKeptKeysOwnTheirText: what detection remembers past an event (the
// targets of acts already reported, files written or flagged) are its own
// strings, never views of the event's record text. An auditd event's
// fields are substrings of that text, so one such view kept the whole
// text of every remembered event alive: on the pid-repeating 500 MB log
// 15 MB of record text that nobody quoted.
func TestKeptKeysOwnTheirText(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(200, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start")
	s.exec(210, 200, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "/var/www/html/x.py")
	var raws []string
	for _, file := range []string{"/var/www/html/uploads/shell.php", "/tmp/.x/run.sh", "/var/www/.ssh/authorized_keys"} {
		raw := `type=PATH msg=audit(1.000:9): item=0 name="` + file + `" inode=1 exe="/usr/bin/python3.11"`
		ev := s.file(parser.KindFileWrite, 210, 200, 33, "/usr/bin/python3.11", "", true)
		at := len(`type=PATH msg=audit(1.000:9): item=0 name="`)
		ev.Path = raw[at : at+len(file)] // as normalize makes it: a view of the text
		ev.Exe = raw[len(raw)-len(`/usr/bin/python3.11"`) : len(raw)-1]
		ev.Evidence = []parser.Evidence{{Raw: raw}}
		raws = append(raws, raw)
		e.Observe(ev, s.tree)
	}
	inText := func(what, v string) {
		t.Helper()
		if v == "" {
			return
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(v)))
		for _, r := range raws {
			lo := uintptr(unsafe.Pointer(unsafe.StringData(r)))
			if p >= lo && p < lo+uintptr(len(r)) {
				t.Errorf("%s %q points into an event's record text: it keeps the text alive", what, v)
			}
		}
	}
	for s := range e.targets.ids {
		inText("act target", s)
	}
	for _, s := range e.targets.names {
		inText("act target (by number)", s)
	}
	for k, w := range e.state.written {
		inText("written file", k.path)
		inText("written by", w.exe)
	}
	for k := range e.state.flagged.m {
		inText("flagged file", k.path)
	}
	if len(e.seen) == 0 || len(e.state.written) == 0 || len(e.state.flagged.m) == 0 {
		t.Fatalf("acts %d, written %d, flagged %d: the test needs each", len(e.seen), len(e.state.written), len(e.state.flagged.m))
	}
}
