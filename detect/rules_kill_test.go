package detect

import "testing"

// TestProcessKillWeb: the web account hunting processes by name or by
// force is an intruder clearing rivals (shop-miner: pkill -9 -f [x]mrig,
// xargs kill -9); a plain signal to a pid, a pgrep count and an admin's
// pkill are not.
func TestProcessKillWeb(t *testing.T) {
	for _, c := range []struct {
		name string
		uid  uint32
		exe  string
		args []string
		want bool
	}{
		{"pkill by pattern", 33, "/usr/bin/pgrep", []string{"pkill", "-9", "-f", "[x]mrig"}, true},
		{"killall", 33, "/usr/bin/killall", []string{"killall", "kdevtmpfsi"}, true},
		{"kill -9 of a pid", 33, "/usr/bin/kill", []string{"kill", "-9", "4205"}, true},
		{"kill -s KILL", 33, "/usr/bin/kill", []string{"kill", "-s", "KILL", "4205"}, true},
		{"a plain signal to its own child", 33, "/usr/bin/kill", []string{"kill", "-TERM", "4205"}, false},
		{"a health check's count", 33, "/usr/bin/pgrep", []string{"pgrep", "-c", "-f", "php-fpm: pool news"}, false},
		{"an admin's pkill", 0, "/usr/bin/pgrep", []string{"pkill", "-f", "stale-job"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got *Finding
			for _, f := range execAs(t, c.uid, "/var/www", c.exe, c.args...) {
				if f.RuleID == "process-kill-web" {
					got = f
				}
			}
			switch {
			case c.want && got == nil:
				t.Fatal("process-kill-web did not fire")
			case !c.want && got != nil:
				t.Fatalf("process-kill-web fired: %s", got.Title)
			case got != nil && (got.Stage != StageSuspiciousSpawn || got.Severity != SeverityMedium):
				t.Errorf("stage %v, severity %v; want 4, medium", got.Stage, got.Severity)
			}
		})
	}
}
