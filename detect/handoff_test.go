package detect

import (
	"strings"
	"testing"
)

// TestHandoff: a command run for the web server passes commands as an
// argument (a check queued with "…; id; sudo -n -l" as its arguments);
// another account's worker later starts a shell with that text outside
// quotes. The shell is the intrusion's, run with that account's rights:
// lateral movement. Quoted in the worker's command, the same text is data.
func TestHandoff(t *testing.T) {
	const args = "127.0.0.1 /status.php; id; sudo -n -l; ls -la ~ /var/mail"
	for _, c := range []struct {
		name, cmd string
		want      bool
		onlyShell bool // only the web shell's command is seen, not the program it ran in a $(…) fork
	}{
		{"run by the worker's shell", "/usr/local/lib/shop-checks/check_http " + args, true, false},
		{"a quoted word of the web shell's command", "/usr/local/lib/shop-checks/check_http " + args, true, true},
		{"quoted by the worker", "/usr/local/lib/shop-checks/check_http '" + args + "'", false, false},
		{"another text", "/usr/local/lib/shop-checks/check_http 127.0.0.1 /status.php", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.onlyShell {
				e.Observe(s.exec(202, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "/bin/sh", "-c", `j=$(php lib/checks-queue.php http "`+args+`" | cut -d" " -f2); cat results/$j.txt`), s.tree)
			} else {
				e.Observe(s.exec(210, 201, 33, "www-data", "/var/www/html", "/usr/bin/php8.2", "php", "/var/www/html/lib/checks-queue.php", "http", args), s.tree)
			}
			s.exec(400, 1, 2241, "opsmon", "/", "/usr/bin/python3.11", "python3", "/usr/local/lib/shop-checks/check-worker.py")
			fs := e.Observe(s.exec(401, 400, 2241, "opsmon", "/", "/usr/bin/dash", "/bin/sh", "-c", c.cmd), s.tree)
			f := findingOf(fs, "web-server-exploitation")
			if got := f != nil; got != c.want {
				t.Fatalf("web-server-exploitation %v, want %v (%v)", got, c.want, ids(fs))
			}
			if f != nil && (f.Stage != StageLateralMovement || !strings.Contains(f.Reason, "handed over")) {
				t.Errorf("stage %v, reason %q; want lateral movement, said handed over", f.Stage, f.Reason)
			}
		})
	}
}

func TestQuotedAt(t *testing.T) {
	cmd := `a 'b c' "d \" e" f\'g h`
	for i, want := range map[int]bool{0: false, 3: true, 9: true, 13: true, 17: false, 21: false} {
		if got := quotedAt(cmd, i); got != want {
			t.Errorf("quotedAt(%q, %d) = %v, want %v", cmd, i, got, want)
		}
	}
}

// FuzzHandoffText: the command texts the hand-off and the sudo escapes
// read are the intruder's to write; reading them never panics, a command
// gives at most 16 quoted words, and a byte outside every quote of a
// command with none is never taken as quoted.
func FuzzHandoffText(f *testing.F) {
	for _, s := range []string{`j=$(php q.php http "127.0.0.1 /s; id" | cut -d" " -f2)`, `a 'b c' "d \" e" f\'g h`, `'unbalanced "x`, "sudo -n -u root /usr/bin/tcpdump -z /tmp/r.sh -Z root", `\`, `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		if q := quotedWords(cmd); len(q) > 16 {
			t.Fatalf("%d quoted words", len(q))
		}
		plain := !strings.ContainsAny(cmd, `'"\`)
		for i := 0; i <= len(cmd)+1; i++ {
			if quotedAt(cmd, i) && plain {
				t.Fatalf("byte %d of %q taken as quoted", i, cmd)
			}
		}
		shellSyntax(cmd)
		postRotateCommand(strings.ToLower(cmd))
		sudoProgram(strings.Fields(cmd))
		shellCFlag(cmd)
	})
}
