package timeline_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// A web shell's command, tied to the request that ran it, on the eight
// stages. Only an access log and exec records are given, so the stages that
// need connect records or file watches are "not visible".
func ExampleBuilder() {
	tree := parser.NewTree()
	b, err := timeline.NewBuilder(timeline.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2026, 11, 25, 10, 2, 3, 0, time.UTC)
	feed := func(ev *parser.Event) *parser.Event {
		tree.Observe(ev) // the parser's Reader does this before handing the event out
		b.Observe(ev)
		return ev
	}
	worker := parser.NewID(33)
	feed(&parser.Event{Kind: parser.KindSyscall, Source: "auditd", Serial: 1, Time: t0, PID: 811, PPID: 810,
		UID: worker, Exe: "/usr/sbin/php-fpm8.2", Success: true})
	shell := feed(&parser.Event{Kind: parser.KindExec, Source: "auditd", Serial: 2, Time: t0.Add(200 * time.Millisecond),
		PID: 812, PPID: 811, UID: worker, Exe: "/usr/bin/dash", Args: []string{"sh", "-c", "id"},
		Cwd: "/var/www/html/uploads", Success: true})
	feed(&parser.Event{Kind: parser.KindHTTP, Source: "access-log", Time: t0, HTTP: &parser.HTTPRequest{
		Client: "203.0.113.7", Method: "GET", Path: "/uploads/shell.php", Query: "cmd=id", Status: 200}})

	f := &detect.Finding{RuleID: "web-shell", Title: "Web Server Shell Spawn", Severity: detect.SeverityHigh,
		Stage: detect.StageCommandExecution, Time: shell.Time, Event: shell, Process: shell.Proc}
	res := b.Build([]*detect.Finding{f}, tree)

	c := res.Chains[0]
	for _, rl := range c.Requests {
		fmt.Printf("%s %s?%s at %s → %s pid %d → %s (%s confidence)\n", rl.Request.HTTP.Method, rl.Request.HTTP.Path,
			rl.Request.HTTP.Query, rl.Request.Time.Format("15:04:05"), rl.Worker.Name(), rl.Worker.Key.PID,
			rl.Process.CommandLine(), rl.Confidence)
	}
	fmt.Println(c.ID, c.Severity)
	for _, s := range c.Stages {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%d %-24s %-12s %s", s.Stage, s.Stage.ID(), s.Visibility, s.Confidence)))
	}
	// Output:
	// GET /uploads/shell.php?cmd=id at 10:02:03 → php-fpm8.2 pid 811 → sh -c id (high confidence)
	// C01 high
	// 1 initial-access           observed     observed
	// 2 webshell-upload          not-visible
	// 3 command-execution        observed     observed
	// 4 suspicious-process-spawn not-observed
	// 5 persistence              not-visible
	// 6 lateral-movement         not-visible
	// 7 command-and-control      not-visible
	// 8 exfiltration-impact      not-observed
}
