package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestRuntimeSocketFromWeb: a web-server descendant connecting to the
// container runtime's socket is one step from root on the host; the
// same connect by root's own tooling is not a finding.
func TestRuntimeSocketFromWeb(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(10, 1, 33, "www-data", "/var/www/html", "/usr/sbin/php-fpm8.2", "php-fpm")
	s.exec(20, 10, 33, "www-data", "/var/www/html", "/usr/bin/curl", "curl", "-s", "--unix-socket", "/var/run/docker.sock", "http://x/containers/json")
	sock := func(pid, ppid int, uid uint32, exe string) *parser.Event {
		return s.next(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: pid, PPID: ppid,
			UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe, Peer: parser.Addr{Family: "unix", Path: "/var/run/docker.sock"}})
	}
	fs := e.Observe(sock(20, 10, 33, "/usr/bin/curl"), s.tree)
	if f := has(fs, "runtime-socket-web"); f == nil || f.Severity != SeverityHigh {
		t.Fatalf("web account on docker.sock: %v", ids(fs))
	}
	s.exec(30, 1, 0, "root", "/root", "/usr/bin/docker", "docker", "ps")
	if fs := e.Observe(sock(30, 1, 0, "/usr/bin/docker"), s.tree); has(fs, "runtime-socket-web") != nil {
		t.Errorf("root's docker ps is a finding: %v", ids(fs))
	}
}
