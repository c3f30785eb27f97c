package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestLinkPlantedKeys: an ssh session of the account whose authorized_keys
// a chain wrote, opened after the write, joins the chain (inferred); not
// when the account had sessions before the key, nor another account's.
func TestLinkPlantedKeys(t *testing.T) {
	for _, c := range []struct {
		name    string
		acct    string
		earlier bool // the account logged in before the key was written
		joined  bool
	}{
		{"a new session of the account", "www-data", false, true},
		{"an account that logs in all day", "www-data", true, false},
		{"another account", "alice", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := shellOf(300, worker1, "/var/www/html")
			if c.earlier {
				s.login(5, "LOGIN", 700, 33, 90, c.acct, "")
			}
			plant := s.find(s.write(10, child(301, sh), parser.KindFileWrite, "/var/www/.ssh/authorized_keys"),
				detect.StagePersistence, detect.SeverityHigh, "Persistence File Written")
			s.login(40, "LOGIN", 800, map[string]uint32{"www-data": 33, "alice": 1000}[c.acct], 101, c.acct, "")
			sess := who{pid: 801, ppid: 800, uid: map[string]uint32{"www-data": 33, "alice": 1000}[c.acct],
				auid: parser.NewID(map[string]uint32{"www-data": 33, "alice": 1000}[c.acct]), ses: parser.NewID(101), exe: "/usr/bin/bash"}
			act := s.find(s.exec(41, sess, "id"), detect.StageCommandExecution, detect.SeverityMedium, "Discovery")
			r := s.build()
			if got := chainOf(r, plant) == chainOf(r, act); got != c.joined {
				dumpChains(t, r)
				t.Fatalf("joined %v, want %v", got, c.joined)
			}
			if c.joined && !hasLink(chainOf(r, plant), "key (inferred): ", "the log does not name the key") {
				t.Errorf("links %q", chainOf(r, plant).Links)
			}
		})
	}
}
