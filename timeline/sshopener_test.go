package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A session is opened by the connect that sshd accepted last before the
// session's process appeared, not by an earlier connect the same daemon
// also accepted: cgi-backdoor's nc -z probe of port 22 at 10:46:37 was said
// to have opened labremote's session 36, which ssh[2321] opened at 10:46:56.
func TestSSHSessionOpenerIsTheLastAcceptBeforeIt(t *testing.T) {
	s, root, rev := reverseShellScene(t)
	// a port probe of 22: sshd accepts, nothing logs in
	probe := child(250, root)
	s.exec(20, probe, "nc", "-z", "127.0.0.1", "22")
	s.connect(20.001, probe, "127.0.0.1", 22)
	s.accept(20.002, sshD, "127.0.0.1", 51016)
	// 19 s later the ssh client logs in
	cl := child(260, root)
	s.exec(39, cl, "ssh", "-i", "/var/tmp/.k", "labremote@127.0.0.1")
	s.connect(39.008, cl, "127.0.0.1", 22)
	s.accept(39.009, sshD, "127.0.0.1", 51200)
	d1 := who{pid: 661, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
	s.touch(39.01, d1)
	s.login(39.6, "LOGIN", 661, 2001, 36, "labremote", "")
	s.login(39.7, "USER_START", 661, 2001, 36, "labremote", "127.0.0.1")
	s.find(s.exec(40, who{pid: 663, ppid: 661, uid: 2001, auid: parser.NewID(2001), ses: parser.NewID(36), user: "labremote"}, "id"), detect.StageLateralMovement, detect.SeverityHigh, "Session Command")
	c := chainOf(s.build(), rev)
	var links []string
	for _, l := range c.Links {
		if strings.HasPrefix(l, "ssh: session 36") {
			links = append(links, l)
		}
	}
	if len(links) != 1 || !strings.Contains(links[0], "opened by pid 260 (ssh)") {
		t.Errorf("session 36 links %q: want one, opened by pid 260 (ssh), not by the probe pid 250", links)
	}
}
