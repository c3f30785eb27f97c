package detect_test

import (
	"fmt"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A php-fpm worker runs "sh -c id" through a web shell: the headline rule
// fires and places it in stage 3; the shell-spawn rule fires too.
func ExampleEngine_Observe() {
	e, err := detect.New(detect.Options{})
	if err != nil {
		panic(err)
	}
	tree := parser.NewTree()
	at := time.Date(2026, 11, 25, 20, 15, 55, 0, time.UTC)
	worker := &parser.Event{Kind: parser.KindSyscall, Source: "auditd", Time: at, PID: 15329, PPID: 15327,
		UID: parser.NewID(33), User: "www-data", Exe: "/usr/sbin/php-fpm8.2", Comm: "php-fpm8.2"}
	tree.Observe(worker)
	sh := &parser.Event{Kind: parser.KindExec, Source: "auditd", Syscall: "execve", Success: true, Time: at,
		PID: 15453, PPID: 15329, UID: parser.NewID(33), User: "www-data", Cwd: "/var/www/html/uploads",
		Exe: "/usr/bin/dash", Args: []string{"sh", "-c", "id 2>&1"}}
	tree.Observe(sh)
	for _, f := range e.Observe(sh, tree) {
		fmt.Println(f.RuleIDs, f.Severity, f.Stage.ID(), f.Attack)
	}
	// Output:
	// [web-server-exploitation web-server-shell-spawn] high command-execution [T1059.004 T1505.003 T1033]
}
