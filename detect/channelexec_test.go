package detect

import (
	"strings"
	"testing"
)

// TestChannelFollowsExec: a loader run through the web shell connects to
// fetch its implant, execs it in place, and the implant connects to its
// C2, where the intruder types commands: the channel is the implant's
// connection, not the download's. A shell that inherits its connection
// across an exec (perl's socket, then exec /bin/sh -i) makes no new
// connect and keeps the channel it had.
func TestChannelFollowsExec(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/perl", "perl", "-e", "use IO::Socket; fetch and exec"), s.tree)
	e.Observe(s.connect(210, 201, 33, "/usr/bin/perl", "203.0.113.9", 8445), s.tree)
	e.Observe(s.exec(210, 201, 33, "www-data", "/tmp", "/proc/self/fd/5", "[kworker/u8:3-events]"), s.tree)
	e.Observe(s.connect(210, 201, 33, "/proc/self/fd/5", "203.0.113.9", 4443), s.tree)
	var reason string
	for _, f := range e.Observe(s.exec(211, 210, 33, "www-data", "/tmp", "/usr/bin/dash", "sh", "-c", "cat /etc/passwd"), s.tree) {
		if f.Stage == StageCommandAndControl {
			reason = f.Reason
		}
	}
	if !strings.Contains(reason, "channel to 203.0.113.9:4443") {
		t.Errorf("the implant's command: reason %q, want the channel to its C2 (4443)", reason)
	}

	e2, s2 := webShellScene(t)
	e2.Observe(s2.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/perl", "perl", "-e", "use Socket; socket(S); connect(S); open(STDIN,\">&S\"); exec(\"/bin/sh -i\")"), s2.tree)
	e2.Observe(s2.connect(210, 201, 33, "/usr/bin/perl", "203.0.113.9", 4444), s2.tree)
	e2.Observe(s2.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/dash", "/bin/sh", "-i"), s2.tree)
	reason = ""
	for _, f := range e2.Observe(s2.exec(212, 210, 33, "www-data", "/tmp", "/usr/bin/id", "id"), s2.tree) {
		if f.Stage == StageCommandAndControl {
			reason = f.Reason
		}
	}
	if !strings.Contains(reason, "channel to 203.0.113.9:4444") {
		t.Errorf("the inherited socket's shell: reason %q, want the channel it had (4444)", reason)
	}
}
