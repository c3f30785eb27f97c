package report

import (
	"strings"
	"testing"
	"time"
)

// crossDocs are two one-host reports: on web01 an ssh client (pid 100,
// and pid 101 when two) connects to 10.0.0.12:22 at t0; on db01 sshd
// accepts from 10.0.0.11 at accept and logs deploy in.
func crossDocs(t0, accept time.Time, account string, clients int) (web, db *Document) {
	web = &Document{Schema: SchemaVersion, Hosts: []string{"web01"}}
	ch := DocChain{ID: "C01", Host: "web01", Severity: "low", Score: 100}
	for i := range clients {
		pid := 100 + i
		p := &DocProcess{PID: pid, Exe: "/usr/bin/ssh", Args: []string{"ssh", "deploy@10.0.0.12", "id"}}
		ex := DocFinding{ID: FindingID(2 * i), Kind: "exec", Host: "web01", Time: t0, Process: p, ChainID: "C01",
			Evidence: []DocEvidence{{File: "web.log", Line: 10 + i, Role: "event"}}}
		co := DocFinding{ID: FindingID(2*i + 1), Kind: "connect", Host: "web01", Time: t0, Peer: "10.0.0.12:22", Process: p, ChainID: "C01",
			Evidence: []DocEvidence{{File: "web.log", Line: 20 + i, Role: "event"}}}
		web.Findings = append(web.Findings, ex, co)
		ch.FindingIDs = append(ch.FindingIDs, ex.ID, co.ID)
	}
	web.Chains = []DocChain{ch}
	db = &Document{Schema: SchemaVersion, Hosts: []string{"db01"}, Logins: []DocLogin{{
		Time: accept.Add(300 * time.Millisecond), Host: "db01", Account: account, AUID: 2003, Session: 5,
		Address: "10.0.0.11", Port: 50000, Accepted: true, AcceptTime: accept, PID: 7,
		Evidence: []DocEvidence{{File: "db.log", Line: 1}},
	}}}
	return web, db
}

func TestLinkAcrossHosts(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 21, 34, 53, 0, time.UTC)
	both := map[string][]string{"web01": {"10.0.0.11"}, "db01": {"10.0.0.12"}}
	for _, tc := range []struct {
		name     string
		acceptAt time.Duration
		account  string
		clients  int
		addrs    map[string][]string
		skew     time.Duration
		basis    string // "" for no link
		note     string // a coverage note that must be there
	}{
		{"connect and accept, both addresses", 0, "deploy", 1, both, 0, CrossObserved, ""},
		{"accept within a larger skew", 10 * time.Second, "deploy", 1, both, 20 * time.Second, CrossObserved, ""},
		{"accept beyond the skew", 10 * time.Second, "deploy", 1, both, 0, "", "no login on db01 matches"},
		{"another account logged in", 0, "alice", 1, both, 0, "", "no login on db01 matches"},
		{"no address known: time alone never links", 0, "deploy", 1, nil, 0, "", "no merged host is known by that address"},
		{"the destination only", 0, "deploy", 1, map[string][]string{"db01": {"10.0.0.12"}}, 0, CrossInferred, ""},
		{"the login's client is another host", 0, "deploy", 1, map[string][]string{"web01": {"10.0.0.99"}, "db01": {"10.0.0.12"}}, 0, "", "no login on db01 matches"},
		{"two clients, one login", 0, "deploy", 2, both, 0, CrossAmbiguous, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			web, db := crossDocs(t0, t0.Add(tc.acceptAt), tc.account, tc.clients)
			d, err := Merge([]MergeInput{{Path: "web.json", SHA256: "aa", Doc: web}, {Path: "db.json", SHA256: "bb", Doc: db}},
				MergeOptions{HostAddrs: tc.addrs, Skew: tc.skew})
			if err != nil {
				t.Fatal(err)
			}
			if tc.basis == "" {
				if len(d.CrossHost) != 0 {
					t.Errorf("linked %+v, want no link", d.CrossHost)
				}
			} else {
				if len(d.CrossHost) == 0 {
					t.Fatalf("no link, want %s", tc.basis)
				}
				for _, x := range d.CrossHost {
					if x.Basis != tc.basis || x.Reason == "" {
						t.Errorf("basis %s (%s), want %s", x.Basis, x.Reason, tc.basis)
					}
					if (x.To == nil) != (tc.basis == CrossAmbiguous) {
						t.Errorf("to %+v with basis %s", x.To, x.Basis)
					}
				}
			}
			if tc.note != "" && !strings.Contains(strings.Join(d.Coverage.Notes, "\n"), tc.note) {
				t.Errorf("notes %q lack %q", d.Coverage.Notes, tc.note)
			}
		})
	}
}

// TestMergeRenumbers: merged ids are unique, stable whatever the order of
// the reports, and every reference follows them.
func TestMergeRenumbers(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	a, _ := crossDocs(t0, t0, "deploy", 1)
	b, _ := crossDocs(t0.Add(-time.Hour), t0, "deploy", 1)
	b.Hosts = []string{"app02"}
	for i := range b.Findings {
		b.Findings[i].Host = "app02"
	}
	b.Chains[0].Host, b.Chains[0].Score = "app02", 200
	b.IOCs = []DocIOC{{Type: IOCUser, Value: "www-data", FindingIDs: []string{"F0002"}}}
	in := []MergeInput{{Path: "a.json", SHA256: "aa", Doc: a}, {Path: "b.json", SHA256: "bb", Doc: b}}
	d1, err := Merge(in, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := Merge([]MergeInput{in[1], in[0]}, MergeOptions{})
	if d1.Chains[0].ID != "C01" || d1.Chains[0].Host != "app02" || d1.Chains[1].ID != "C02" {
		t.Errorf("chains %s %s, %s: want the higher score first", d1.Chains[0].ID, d1.Chains[0].Host, d1.Chains[1].ID)
	}
	// app02's findings are an hour earlier: F0001, F0002
	if d1.Findings[0].Host != "app02" || d1.Findings[0].ChainID != "C01" || d1.Findings[0].Origin != "host app02 F0001 of b.json" {
		t.Errorf("first finding %+v", d1.Findings[0])
	}
	if got := d1.IOCs[0].FindingIDs; len(got) != 1 || got[0] != "F0002" {
		t.Errorf("IOC findings %v, want app02's F0002 renumbered F0002", got)
	}
	for i := range d1.Findings {
		if d1.Findings[i].ID != d2.Findings[i].ID || d1.Findings[i].Origin != d2.Findings[i].Origin {
			t.Fatalf("finding %d differs with the order of the reports", i)
		}
	}
	if _, err := Merge([]MergeInput{in[0], {Path: "again.json", SHA256: "aa", Doc: a}}, MergeOptions{}); err == nil {
		t.Error("the same report twice was merged")
	}
}
