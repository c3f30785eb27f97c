package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestScheduledJobPredatingLog: a job cron starts as the web account
// twice in a short log (an ssh to another account of the host, high) is
// routine when no cron file was changed in the log before its first run:
// its schedule predates everything the log holds. The same job whose
// crontab was written in the log first stays high, and so does one when
// the log could not have shown such a write.
func TestScheduledJobPredatingLog(t *testing.T) {
	for _, tc := range []struct {
		name    string
		crontab bool // www-data's crontab written at 30 s
		visible bool // a persistence write is in the log (cron changes would show)
		want    detect.Severity
	}{
		{"schedule predates the log", false, true, detect.SeverityLow},
		{"crontab written before its first run", true, true, detect.SeverityHigh},
		{"cron changes would not show", false, false, detect.SeverityHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			if tc.visible {
				s.write(5, who{pid: 900, ppid: 1, uid: 0, exe: "/usr/bin/install"}, parser.KindFileWrite, "/etc/systemd/system/backup.timer")
			}
			if tc.crontab {
				s.write(30, who{pid: 901, ppid: 1, uid: 33, exe: "/usr/bin/crontab"}, parser.KindFileWrite, "/var/spool/cron/crontabs/www-data")
			}
			var fs []*detect.Finding
			for k, at := range []float64{60, 120} {
				job := who{pid: 700 + 2*k, ppid: cronD.pid, uid: 0, exe: "/usr/sbin/cron"}
				s.touch(at-0.1, job)
				sh := s.exec(at, who{pid: 701 + 2*k, ppid: job.pid, uid: 33, cwd: "/var/www"}, "/bin/sh", "-c", "ssh -o BatchMode=yes deploy@127.0.0.1 ls -1 /srv/feeds")
				fs = append(fs, s.find(sh, detect.StageLateralMovement, detect.SeverityHigh, "Remote Access Tool Run By Web Server Account"))
			}
			r := s.build()
			for _, f := range fs {
				if sev := severityIn(t, r, f); sev != tc.want {
					t.Errorf("the job at %s is %s, want %s", f.Time.Format("15:04:05"), sev, tc.want)
				}
			}
			if tc.want == detect.SeverityLow && (len(r.Routine) != 1 || !strings.Contains(r.Routine[0].Why, "its schedule predates the log")) {
				t.Errorf("routine = %+v, want the job, said to predate the log", r.Routine)
			}
		})
	}
}

// TestScheduledJobBranch: what one run of a job predating the log starts
// below the job's command, and no other run does (a tunnel opened when it
// was down), is counted by the job's runs: routine, said so. A job whose
// command differs in one argument is another job, and a branch of a job
// that ran once is no schedule.
func TestScheduledJobBranch(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs []string // the job's command, run by run; the tunnel starts in the second
		want detect.Severity
	}{
		{"one job, three runs", []string{"/bin/sh /usr/local/lib/shop/tunnel.sh", "/bin/sh /usr/local/lib/shop/tunnel.sh", "/bin/sh /usr/local/lib/shop/tunnel.sh"}, detect.SeverityLow},
		{"the same job ran once", []string{"/bin/sh /usr/local/lib/shop/backup.sh", "/bin/sh /usr/local/lib/shop/tunnel.sh", "/bin/sh /usr/local/lib/shop/backup.sh"}, detect.SeverityHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.write(5, who{pid: 900, ppid: 1, uid: 0, exe: "/usr/bin/install"}, parser.KindFileWrite, "/etc/systemd/system/backup.timer")
			var f *detect.Finding
			for k, cmd := range tc.runs {
				at := float64(60 * (k + 1))
				job := who{pid: 700 + 3*k, ppid: cronD.pid, uid: 0, exe: "/usr/sbin/cron"}
				s.touch(at-0.1, job)
				sh := who{pid: 701 + 3*k, ppid: job.pid, uid: 33, cwd: "/var/www"}
				s.exec(at, sh, "/bin/sh", "-c", cmd)
				if k == 1 {
					ssh := s.exec(at+0.2, who{pid: 702 + 3*k, ppid: sh.pid, uid: 33, cwd: "/var/www"}, "/usr/bin/ssh", "-f", "-N", "-L", "127.0.0.1:15432:127.0.0.1:9353", "erp-bastion")
					f = s.find(ssh, detect.StageLateralMovement, detect.SeverityHigh, "Remote Access Tool Run By Web Server Account")
				}
			}
			r := s.build()
			if sev := severityIn(t, r, f); sev != tc.want {
				t.Fatalf("the tunnel is %s, want %s", sev, tc.want)
			}
			if tc.want == detect.SeverityLow && (len(r.Routine) != 1 || !strings.Contains(r.Routine[0].Why, "ran in 1 of the 3 runs")) {
				t.Errorf("routine = %+v, want the tunnel, counted by its job's runs", r.Routine)
			}
		})
	}
}
