package timeline

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestLinkRepeats: a list keeps MaxRepeats events of one act (host,
// program, command, file, address); later repeats are counted, not kept
// nor retained, and Dropped says how many, of which list and act, from
// where to where. Login records are one act per account, address and
// record type, accepts per address (not the client's port). Other acts,
// other hosts and a negative bound are not cut.
func TestLinkRepeats(t *testing.T) {
	write := func(host, path string, i int) *parser.Event {
		return &parser.Event{Kind: parser.KindFileWrite, Success: true, Host: host, Exe: "/usr/bin/convert", Path: path,
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: i + 1}, Serial: uint64(i + 1)}}}
	}
	connect := func(host, path string, i int) *parser.Event {
		return &parser.Event{Kind: parser.KindConnect, Success: true, Host: host, Exe: "/usr/bin/curl",
			Peer:     parser.Addr{Family: "inet", IP: "192.0.2.7", Port: 8000},
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: i + 1}, Serial: uint64(i + 1)}}}
	}
	login := func(host, path string, i int) *parser.Event {
		return &parser.Event{Kind: parser.KindLogin, RecordType: "USER_LOGIN", Success: true, Host: host, Exe: "/usr/sbin/sshd",
			SES: parser.NewID(uint32(i + 1)), AUID: parser.NewID(1000),
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: i + 1}, Serial: uint64(i + 1)}}}
	}
	cron := func(host, acct string, i int) *parser.Event { // every cron job writes a LOGIN
		return &parser.Event{Kind: parser.KindLogin, RecordType: "LOGIN", Success: true, Host: host, AUser: acct,
			SES: parser.NewID(uint32(i + 1)), AUID: parser.NewID(0),
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: i + 1}, Serial: uint64(i + 1)}}}
	}
	accept := func(host, ip string, i int) *parser.Event { // a new client port each time
		return &parser.Event{Kind: parser.KindAccept, Success: true, Host: host, Exe: "/usr/sbin/sshd",
			Peer:     parser.Addr{Family: "inet", IP: ip, Port: 40000 + i},
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: i + 1}, Serial: uint64(i + 1)}}}
	}
	for _, tc := range []struct {
		name     string
		bound    int
		n        int
		make     func(host, path string, i int) *parser.Event
		paths    []string
		hosts    []string
		wantKept int // per host and path
		wantNote string
	}{
		{"one file written again and again", 3, 10, write, []string{"/var/www/thumb.png"}, []string{""}, 3,
			`linking: 7 file writes and changes were counted, not kept for linking: each repeated an act kept 3 times already (1 acts; the most repeated: file-write by "/usr/bin/convert" on "/var/www/thumb.png", 7 more times); the first at audit.log:4, serial 4, the last at audit.log:10, serial 10`},
		{"two files", 3, 3, write, []string{"/a", "/b"}, []string{""}, 3, ""},
		{"two hosts", 3, 3, write, []string{"/a"}, []string{"h1", "h2"}, 3, ""},
		{"connects", 2, 5, connect, []string{""}, []string{""}, 2, `linking: 3 connects were counted, not kept for linking: each repeated an act kept 2 times already (1 acts; the most repeated: connect by "/usr/bin/curl" to 192.0.2.7:8000, 3 more times)`},
		{"sessions of one account from one address", 2, 5, login, []string{""}, []string{""}, 2, `linking: 3 login records were counted, not kept for linking: each repeated an act kept 2 times already (1 acts; the most repeated: login by "/usr/sbin/sshd" "USER_LOGIN of  auid 1000", 3 more times)`},
		{"cron's sessions of two accounts", 2, 4, cron, []string{"root", "www-data"}, []string{""}, 2, `linking: 4 login records were counted, not kept for linking: each repeated an act kept 2 times already (2 acts; the most repeated: login "LOGIN of root auid 0", 2 more times)`},
		{"accepts from one address", 2, 6, accept, []string{"192.0.2.9"}, []string{""}, 2, `linking: 4 sshd accepts were counted, not kept for linking: each repeated an act kept 2 times already (1 acts; the most repeated: accept by "/usr/sbin/sshd" "from 192.0.2.9", 4 more times)`},
		{"accepts from two addresses", 2, 2, accept, []string{"192.0.2.9", "192.0.2.10"}, []string{""}, 2, ""},
		{"default", 0, DefaultLinkRepeats + 1, write, []string{"/a"}, []string{""}, DefaultLinkRepeats, "linking: 1 file writes and changes were counted, not kept for linking: each repeated an act kept " + strconv.Itoa(DefaultLinkRepeats) + " times already"},
		{"no bound", -1, 50, write, []string{"/a"}, []string{""}, 50, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{MaxRepeats: tc.bound})
			if err != nil {
				t.Fatal(err)
			}
			i := 0
			for _, host := range tc.hosts {
				for _, p := range tc.paths {
					kept := 0
					for range tc.n {
						ev := tc.make(host, p, i)
						i++
						if b.Observe(ev) {
							kept++
						} else if ev.Retained() {
							t.Fatalf("event %d not kept, yet retained", i)
						}
					}
					if kept != tc.wantKept {
						t.Errorf("%s %s: kept %d, want %d", host, p, kept, tc.wantKept)
					}
				}
			}
			notes := b.Dropped()
			switch {
			case tc.wantNote == "" && len(notes) > 0:
				t.Errorf("notes %q, want none", notes)
			case tc.wantNote != "" && (len(notes) != 1 || !strings.Contains(notes[0], tc.wantNote) || !strings.Contains(notes[0], "--max-link-repeats")):
				t.Errorf("notes %q, want one with %q", notes, tc.wantNote)
			}
		})
	}
}

// TestLinkEventsTotal: the lists bounded by repeats keep MaxLinkEvents
// events together. When they reach it the bound per act is halved and each
// act's events past the new bound (its latest) are let go, with the pins
// their keeping took, and counted; at one event an act, the events of new
// acts are refused and counted. Dropped says each step.
func TestLinkEventsTotal(t *testing.T) {
	procs := map[string]*parser.Process{}
	line := 0
	write := func(path string) *parser.Event {
		line++
		p := procs[path]
		if p == nil {
			p = &parser.Process{Exe: "/usr/bin/convert"}
			procs[path] = p
		}
		return &parser.Event{Kind: parser.KindFileWrite, Success: true, Exe: "/usr/bin/convert", Path: path, Proc: p,
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: line}, Serial: uint64(line)}}}
	}
	b, err := NewBuilder(Options{MaxRepeats: 8, MaxLinkEvents: 10})
	if err != nil {
		t.Fatal(err)
	}
	for range 8 {
		b.Observe(write("/a"))
	}
	kept := 0
	for range 8 {
		if b.Observe(write("/b")) {
			kept++
		}
	}
	// /b's third event found the lists full: the bound went to 4, /a
	// let its last 4 go, /b kept 4 in all
	if kept != 4 || len(b.fileOps) != 8 || b.repeats.max != 4 {
		t.Fatalf("kept %d of /b, lists hold %d, bound %d; want 4, 8, 4", kept, len(b.fileOps), b.repeats.max)
	}
	for i, ev := range b.fileOps {
		if want := []string{"/a", "/b"}[i/4]; ev.Path != want || ev.Evidence[0].Pos.Line != 1+i%4+8*(i/4) {
			t.Errorf("kept[%d] = %s line %d: the first 4 of each act stay", i, ev.Path, ev.Evidence[0].Pos.Line)
		}
	}
	// each kept event pinned its process once; those let go gave it back
	for _, path := range []string{"/a", "/b"} {
		p := procs[path]
		for range 4 {
			p.Unpin()
		}
		if parser.Pinned(p) {
			t.Errorf("%s: still pinned after its 4 kept events' pins: the events let go kept theirs", path)
		}
	}
	notes := b.Dropped()
	if len(notes) != 2 || !strings.HasPrefix(notes[0], "linking: 8 file writes and changes were counted, not kept for linking: each repeated an act kept 4 times already (2 acts;") ||
		!strings.Contains(notes[0], "the first at audit.log:5, serial 5, the last at audit.log:16, serial 16") ||
		!strings.Contains(notes[1], "reached their bound of 10 events together, so the bound per act was lowered from 8 to 4") {
		t.Errorf("notes:\n%s", strings.Join(notes, "\n"))
	}
	// new acts, one event each, until one an act is all that fits
	for _, path := range []string{"/c", "/d", "/e", "/f", "/g", "/h", "/i", "/j", "/k"} {
		b.Observe(write(path))
	}
	if b.repeats.max != 1 || len(b.fileOps) != 10 || b.repeats.full != 1 {
		t.Fatalf("bound %d, lists hold %d, refused %d; want 1, 10, 1", b.repeats.max, len(b.fileOps), b.repeats.full)
	}
	notes = b.Dropped()
	if last := notes[len(notes)-1]; !strings.HasPrefix(last, "linking: 1 events of acts not yet kept were counted, not kept for linking: the lists held 10 events, one of each act, already; the first at audit.log:25, serial 25") {
		t.Errorf("last note %q", last)
	}
	// no total without a bound per act, and a negative total is none
	for _, o := range []Options{{MaxRepeats: -1, MaxLinkEvents: 3}, {MaxRepeats: 8, MaxLinkEvents: -1}} {
		b, _ := NewBuilder(o)
		for range 6 {
			b.Observe(write("/x"))
		}
		if len(b.fileOps) != 6 || b.Dropped() != nil {
			t.Errorf("%+v: kept %d, notes %q; want 6, none", o, len(b.fileOps), b.Dropped())
		}
	}
}

// TestLinkEventsHeldElsewhere: an event a finding retained with its text
// stays in its list when the bound per act is lowered (letting it go would
// free nothing) and counts in neither bound.
func TestLinkEventsHeldElsewhere(t *testing.T) {
	b, err := NewBuilder(Options{MaxRepeats: 4, MaxLinkEvents: 4})
	if err != nil {
		t.Fatal(err)
	}
	var evs []*parser.Event
	for i := range 4 {
		ev := &parser.Event{Kind: parser.KindFileWrite, Success: true, Exe: "/usr/bin/convert", Path: "/a", Proc: &parser.Process{},
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: i + 1}, Serial: uint64(i + 1)}}}
		b.Observe(ev)
		evs = append(evs, ev)
	}
	evs[3].Retain(parser.KeepText) // a finding quotes the last
	b.Observe(&parser.Event{Kind: parser.KindFileWrite, Success: true, Exe: "/usr/bin/convert", Path: "/b", Proc: &parser.Process{},
		Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: 5}, Serial: 5}}})
	var got []int
	for _, ev := range b.fileOps {
		got = append(got, ev.Evidence[0].Pos.Line)
	}
	// bound 2: /a keeps lines 1, 2 and the quoted 4; /b fits
	if want := []int{1, 2, 4, 5}; !slices.Equal(got, want) || b.repeats.max != 2 || b.repeats.total != 3 {
		t.Errorf("kept lines %v, bound %d, total %d; want %v, 2, 3", got, b.repeats.max, b.repeats.total, want)
	}
}

// TestSSHLinkKeptPastBound: accepts from 127.0.0.1 past the bound are
// counted, not kept; one that follows an ssh client's connect of this
// host to that address, port 22, is kept, and so are the login records
// its daemon's session writes: the connect needs them to find its login.
func TestSSHLinkKeptPastBound(t *testing.T) {
	b, err := NewBuilder(Options{MaxRepeats: 2})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	line := 0
	ev := func(sec float64, kind parser.Kind, p *parser.Process) *parser.Event {
		line++
		return &parser.Event{Kind: kind, Success: true, Time: t0.Add(time.Duration(sec * float64(time.Second))), Exe: p.Exe, Proc: p,
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "audit.log", Line: line}, Serial: uint64(line)}}}
	}
	sshd := func(pid int) *parser.Process {
		return &parser.Process{Key: parser.ProcKey{PID: pid}, Exe: "/usr/sbin/sshd"}
	}
	accept := func(sec float64, p *parser.Process) *parser.Event {
		e := ev(sec, parser.KindAccept, p)
		e.Peer = parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 40000 + line}
		return e
	}
	for i := range 5 { // the every-day logins to that account fill the bound
		p := sshd(100 + i)
		b.Observe(accept(float64(i), p))
		g := ev(float64(i)+0.3, parser.KindLogin, p)
		g.RecordType, g.SES, g.AUID = "LOGIN", parser.NewID(uint32(i+1)), parser.NewID(2003)
		b.Observe(g)
	}
	client := &parser.Process{Key: parser.ProcKey{PID: 300}, Exe: "/usr/bin/ssh", User: "www-data"}
	c := ev(60, parser.KindConnect, client)
	c.Peer = parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 22}
	b.Observe(c)
	d := sshd(400)
	if !b.Observe(accept(60.05, d)) {
		t.Error("the accept after the ssh client's connect was not kept")
	}
	session := &parser.Process{Key: parser.ProcKey{PID: 401}, Exe: "/usr/sbin/sshd", Parent: d}
	login := ev(60.4, parser.KindLogin, session)
	login.RecordType, login.SES, login.AUID = "LOGIN", parser.NewID(7), parser.NewID(2003)
	if !b.Observe(login) {
		t.Error("its session's LOGIN was not kept")
	}
	if b.Observe(accept(90, sshd(500))) {
		t.Error("a later accept with no connect before it was kept past the bound")
	}
}
