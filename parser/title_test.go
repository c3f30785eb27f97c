package parser

import (
	"strings"
	"testing"
)

// TestProcessTitle: a server started before the log shows no exec, and its
// records name only its thread (comm "http-nio-127.0."); their PROCTITLE
// says what it runs. The tree keeps it as the process's Title (not as its
// argv), once, and drops it when an exec of the process is seen.
func TestProcessTitle(t *testing.T) {
	lines := `type=SYSCALL msg=audit(1796312527.170:20790): arch=c000003e syscall=43 success=yes exit=45 a0=26 a1=7f5091bcb690 a2=7f5091bcb688 a3=c items=0 ppid=32115 pid=32359 auid=4294967295 uid=2008 gid=2008 euid=2008 suid=2008 fsuid=2008 egid=2008 sgid=2008 fsgid=2008 tty=(none) ses=4294967295 comm="http-nio-127.0." exe="/usr/lib/jvm/java-17-openjdk-amd64/bin/java" key="network_accept"ARCH=x86_64 SYSCALL=accept AUID="unset" UID="svc-stock" GID="svc-stock" EUID="svc-stock" SUID="svc-stock" FSUID="svc-stock" EGID="svc-stock" SGID="svc-stock" FSGID="svc-stock"
type=SOCKADDR msg=audit(1796312527.170:20790): saddr=0A0084FE0000000000000000000000000000FFFF7F00000100000000SADDR={ saddr_fam=inet6 laddr=::ffff:127.0.0.1 lport=34046 }
type=PROCTITLE msg=audit(1796312527.170:20790): proctitle=2F7573722F6C69622F6A766D2F64656661756C742D6A6176612F62696E2F6A617661002D446A6176612E7574696C2E6C6F6767696E672E636F6E6669672E66696C653D2F7372762F73746F636B2F746F6D6361742F636F6E662F6C6F6767696E672E70726F70657274696573002D446A6176612E7574696C2E6C6F6767696E67
`
	evs, _ := readString(t, lines)
	var p *Process
	for _, ev := range evs {
		if ev.PID == 32359 {
			p = ev.Proc
		}
	}
	if p == nil {
		t.Fatal("no process 32359")
	}
	if len(p.Args) != 0 {
		t.Errorf("args %q: a title is not an observed argv", p.Args)
	}
	got := strings.Join(p.Title, " ")
	if !strings.HasPrefix(got, "/usr/lib/jvm/default-java/bin/java -Djava.util.logging.config.file=/srv/stock/tomcat/conf/logging.properties") {
		t.Errorf("title %q", got)
	}
}
