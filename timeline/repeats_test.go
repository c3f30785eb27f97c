package timeline

import (
	"strconv"
	"strings"
	"testing"

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
