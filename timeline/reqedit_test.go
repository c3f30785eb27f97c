package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// combinedLine is the raw combined-format line of a sim request, as an
// edit's expression would see it in the file.
func combinedLine(method, target, agent string) string {
	return fmt.Sprintf(`198.51.100.7 - - [01/Jan/2030:20:00:11 +0000] "%s %s HTTP/1.1" 200 512 "-" "%s"`, method, target, agent)
}

// TestAccessLogEdited: an access log that a process filtered during the
// capture may lack the very request that caused a process (netdiag-profile:
// the intruder's sed deleted every /api/x/cache line, and each list of
// candidates for the web shell's commands left the cause out without
// saying why). Every inferred or ambiguous link of a process started
// before the edit says the log may lack lines, and the coverage says what
// edited it; reading the log (tail) edits nothing, and a process started
// after the edit is not concerned.
//
// A log read that still holds a line from before the edit that the edit
// drops is not what the edit left (news-deser: a log shipper's copy kept
// every line sed -i removed from the file on disk): nothing of it was lost
// to that edit, and the coverage says so instead. The edit's expressions
// are read only as far as they say what they drop (sed's /re/d, a BRE as
// sed and grep read it, grep -v -F; not a sed script with other commands,
// nor truncate to a size), and only a line written before the edit counts.
func TestAccessLogEdited(t *testing.T) {
	for _, tc := range []struct {
		name   string
		editor []string
		at     float64
		agent  string // the logged request's user agent ("": Mozilla/5.0)
		later  string // the user agent of a request logged after the edit, if any
		noted  bool   // in the link
		edited bool   // in the coverage as "may lack lines"
		spared bool   // in the coverage as not what the edit left
	}{
		{name: "sed deleting lines of it", editor: []string{"sed", "-e", `/api\/x\/cache/d`, "/var/log/webapp/access.log"}, at: 30, noted: true, edited: true},
		{name: "sed -i in place", editor: []string{"sed", "-i", "/python-requests/d", "/var/log/haproxy-ship/access.log"}, at: 30, noted: true, edited: true},
		{name: "truncated, the log read holding a line from before it", editor: []string{"truncate", "-s", "0", "/var/log/nginx/access.log"}, at: 30, spared: true},
		{name: "truncated to a size: what it drops is not read", editor: []string{"truncate", "-s", "100", "/var/log/nginx/access.log"}, at: 30, noted: true, edited: true},
		{name: "only read", editor: []string{"tail", "-n", "5", "/var/log/webapp/access.log"}, at: 30},
		{name: "sed printing lines, deleting none", editor: []string{"sed", "-n", "1,5p", "/var/log/webapp/access.log"}, at: 30},
		{name: "edited before the process started", editor: []string{"sed", "-i", "/x/d", "/var/log/nginx/access.log"}, at: 5, edited: true},
		{name: "sed -i deleting a line the log read holds from before it", editor: []string{"sed", "-i", `/seo-tools\/compat\.php/d;/Mozilla/d`, "/var/log/nginx/access.log"}, at: 30, spared: true},
		{name: "grep -v of a line the log read holds", editor: []string{"grep", "-v", "Mozilla", "/var/log/nginx/access.log"}, at: 30, spared: true},
		{name: "grep -vF of a fixed string", editor: []string{"grep", "-vF", "Mozilla/5.0 (X11", "/var/log/nginx/access.log"}, agent: "Mozilla/5.0 (X11; Linux)", at: 30, spared: true},
		{name: "a BRE's parenthesis is literal", editor: []string{"sed", "-i", `/5\.0 (X11/d`, "/var/log/nginx/access.log"}, agent: "Mozilla/5.0 (X11; Linux)", at: 30, spared: true},
		{name: "grep -v case-folded", editor: []string{"grep", "-vi", "mozilla", "/var/log/nginx/access.log"}, at: 30, spared: true},
		{name: "grep -vw: not read", editor: []string{"grep", "-vw", "Mozilla", "/var/log/nginx/access.log"}, at: 30, noted: true, edited: true},
		{name: "a sed script with another command: not read", editor: []string{"sed", "-i", "/Mozilla/d;s/a/b/", "/var/log/nginx/access.log"}, at: 30, noted: true, edited: true},
		{name: "the line it drops was logged after it", editor: []string{"sed", "-i", "/curl/d", "/var/log/nginx/access.log"}, later: "curl/8.0", at: 30, noted: true, edited: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := s.exec(10.2, shellOf(500, worker1, "/var/www/html"), "/bin/sh", "-c", "id; hostname")
			agent := tc.agent
			if agent == "" {
				agent = "Mozilla/5.0"
			}
			r := s.http(11, "GET", "/", 200, "198.51.100.7", agent)
			r.Evidence[0].Raw = combinedLine("GET", "/", agent)
			if tc.later != "" {
				l := s.http(40, "GET", "/", 200, "198.51.100.7", tc.later)
				l.Evidence[0].Raw = combinedLine("GET", "/", tc.later)
			}
			s.exec(tc.at, who{pid: 900, ppid: 1, uid: 0, cwd: "/root"}, tc.editor...)
			rl, ok := s.b.matchRequests().execs[sh.Proc]
			if !ok {
				t.Fatal("no link")
			}
			said := strings.Contains(rl.Reason, "the access log may lack lines")
			notes := strings.Join(s.b.requestTimeNotes(), "\n")
			if said != tc.noted || strings.Contains(notes, "may lack lines") != tc.edited || strings.Contains(notes, "not what it left") != tc.spared {
				t.Errorf("link says %v (%s), coverage %q; want %v, %v, spared %v", said, rl.Reason, notes, tc.noted, tc.edited, tc.spared)
			}
			if tc.noted && !strings.Contains(rl.Reason, tc.editor[len(tc.editor)-1]) {
				t.Errorf("the link does not name the edited file: %s", rl.Reason)
			}
		})
	}
}

// TestLostLinesNeedCorroboration: in a log known to have lost lines, "the
// only request left in flight" names it only when the log's own history
// says its route runs the command (docket-exhibit: after the intruder's
// grep -v python-requests, the web shell's echo and cat were tied to the
// probe's /healthz and a visitor's GET / left alone in flight). A route
// whose requests run the command nearly every time (a probe's status page
// and its df) keeps its link; a page requested again and again with no
// run of the command is a bystander, and the link says it is ambiguous and
// why. With no edit, or an edit the log read was spared (it holds a line
// the edit drops), elimination names the request as before.
func TestLostLinesNeedCorroboration(t *testing.T) {
	for _, tc := range []struct {
		name   string
		editor []string // run at 60 s; nil: none
		every  bool     // the command runs in each of the route's requests, else in one of four
		named  bool
	}{
		{name: "a bystander page in a log that lost lines", editor: []string{"grep", "-v", "python-requests", "/var/log/nginx/access.log"}},
		{name: "a route that runs the command each time", editor: []string{"grep", "-v", "python-requests", "/var/log/nginx/access.log"}, every: true, named: true},
		{name: "no edit", named: true},
		{name: "an edit the log read was spared", editor: []string{"grep", "-v", "Mozilla", "/var/log/nginx/access.log"}, named: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			target := s.exec(9.5, shellOf(500, worker1, "/var/www/html"), "/bin/sh", "-c", "df -P /srv")
			for k, at := range []float64{5, 10, 15, 20} {
				if tc.every && at != 10 {
					s.exec(at-0.5, shellOf(510+k, worker1, "/var/www/html"), "/bin/sh", "-c", "df -P /srv")
				}
				r := s.http(at, "GET", "/status.php", 200, "198.51.100.7", "Mozilla/5.0")
				r.Evidence[0].Raw = combinedLine("GET", "/status.php", "Mozilla/5.0")
			}
			if tc.editor != nil {
				s.exec(60, who{pid: 900, ppid: 1, uid: 0, cwd: "/root"}, tc.editor...)
			}
			rl, ok := s.b.matchRequests().execs[target.Proc]
			if !ok {
				t.Fatal("no link")
			}
			if named := rl.Request != nil; named != tc.named {
				t.Fatalf("named %v, want %v: %s", named, tc.named, rl.Reason)
			}
			if !tc.named && (!strings.Contains(rl.Reason, "does not say it runs") || !strings.Contains(rl.Reason, "may lack lines") || len(rl.Candidates) == 0) {
				t.Errorf("the ambiguous link does not say why, or lists nothing: %s", rl.Reason)
			}
		})
	}
}

// TestLostLinesTeachNoHistory: in a log that lost lines, a request left
// alone in flight at a run, whose route the log does not corroborate
// (rule 8 takes that link back), teaches the route history nothing: the
// health check alone at a sudo whose own request the intruder grepped
// out does not become a route that runs sudo, and the reindex button in
// flight beside a health check is still told apart by its history.
func TestLostLinesTeachNoHistory(t *testing.T) {
	for _, tc := range []struct {
		name   string
		editor []string
		named  bool
	}{
		{name: "an edit after the runs: the lone health check teaches nothing", editor: []string{"grep", "-v", "python-requests", "/var/log/nginx/access.log"}, named: true},
		{name: "no edit: the lone health check counts, and the run stays ambiguous", named: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			line := func(at float64, path string) {
				r := s.http(at, "POST", path, 200, "198.51.100.7", "Mozilla/5.0")
				r.Evidence[0].Raw = combinedLine("POST", path, "Mozilla/5.0")
			}
			s.exec(4.5, shellOf(500, worker1, "/var/www/html"), "/usr/bin/sudo", "-n", "/usr/local/bin/reindex")
			line(5, "/reindex.php")
			target := s.exec(9.5, shellOf(501, worker1, "/var/www/html"), "/usr/bin/sudo", "-n", "/usr/local/bin/reindex")
			line(10, "/reindex.php")
			line(10, "/health.php")
			// the intruder's sudo: its request is not in the log, the
			// health check is alone in flight
			s.exec(19.5, shellOf(502, worker1, "/var/www/html"), "/usr/bin/sudo", "-n", "/usr/local/bin/reindex")
			for _, at := range []float64{20, 25, 30, 35} {
				line(at, "/health.php")
			}
			if tc.editor != nil {
				s.exec(60, who{pid: 900, ppid: 1, uid: 0, cwd: "/root"}, tc.editor...)
			}
			rl, ok := s.b.matchRequests().execs[target.Proc]
			if !ok {
				t.Fatal("no link")
			}
			if named := rl.Request != nil && rl.Request.HTTP.Path == "/reindex.php"; named != tc.named {
				t.Fatalf("named /reindex.php %v, want %v: %s", named, tc.named, rl.Reason)
			}
		})
	}
}

// TestEditDropsEveryLine: a filter whose expressions drop every line the
// server wrote after it dropped every line before it too, whatever it was
// meant for (cuspid-labelfmt: the intruder's grep -v -e python-requests
// -e ../ over the access log; ../ is a regular expression, any two
// characters and a slash, and matches every "HTTP/1.1"). The coverage
// says so, with every pattern and the log's first line; a filter that
// leaves the later lines alone is said as before.
func TestEditDropsEveryLine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pats  []string
		every bool
	}{
		{name: "an unescaped ../ among the patterns", pats: []string{"-e", "python-requests", "-e", "../", "-e", "refused a client"}, every: true},
		{name: "only the intruder's agent", pats: []string{"-e", "python-requests"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.exec(10.2, shellOf(500, worker1, "/var/www/html"), "/bin/sh", "-c", "id")
			editor := append(append([]string{"grep", "-v"}, tc.pats...), "/var/log/nginx/access.log")
			s.exec(30, who{pid: 900, ppid: 1, uid: 0, cwd: "/root"}, editor...)
			for k := range dropsAllAfterMin {
				r := s.http(float64(40+k), "GET", "/", 200, "198.51.100.7", "Mozilla/5.0")
				r.Evidence[0].Raw = combinedLine("GET", "/", "Mozilla/5.0")
			}
			notes := strings.Join(s.b.requestTimeNotes(), "\n")
			if !strings.Contains(notes, "may lack lines") || !strings.Contains(notes, tc.pats[len(tc.pats)-1]) {
				t.Fatalf("coverage %q", notes)
			}
			if got := strings.Contains(notes, "drop every one of the 10 lines"); got != tc.every {
				t.Errorf("said dropping every line: %v, want %v: %q", got, tc.every, notes)
			}
		})
	}
}

// TestEditDropsURL: a script written into the web root that no line of
// the access log requests is unrequested only if no later edit of the log
// may have taken its lines out: an edit whose pattern matches a request
// of it by a URL it may be served at, or one whose expressions do not say
// what they drop.
func TestEditDropsURL(t *testing.T) {
	const file = "/var/www/html/img/products/thumb-cache.php"
	written := time.Unix(100, 0)
	for _, tc := range []struct {
		name string
		argv []string
		at   int64
		want bool
	}{
		{"its name, escaped", []string{"sed", "-i", `/thumb-cache\.php/d; /banners\/b[0-9]/d`, "/var/log/nginx/access.log"}, 200, true},
		{"its folder", []string{"sed", "-i", `/img\/products\//d`, "/var/log/nginx/access.log"}, 200, true},
		{"another file", []string{"sed", "-i", `/banners\/b[0-9]/d`, "/var/log/nginx/access.log"}, 200, false},
		{"a client's agent", []string{"grep", "-v", "python-requests", "/var/log/nginx/access.log"}, 200, false},
		{"emptied", []string{"truncate", "-s", "0", "/var/log/nginx/access.log"}, 200, true},
		{"a script that does not say", []string{"sed", "-i", "/x/d;s/a/b/", "/var/log/nginx/access.log"}, 200, true},
		{"before the write", []string{"sed", "-i", `/thumb-cache\.php/d`, "/var/log/nginx/access.log"}, 50, false},
	} {
		ev := &parser.Event{Kind: parser.KindExec, Time: time.Unix(tc.at, 0), Exe: "/usr/bin/" + tc.argv[0], Args: tc.argv}
		e, ok := accessLogEdit(ev)
		if !ok {
			t.Fatalf("%s: not an edit", tc.name)
		}
		e.at = ev.Time
		b := &Builder{logEdits: []logEdit{e}}
		if _, got := b.editDropsURL("", file, written); got != tc.want {
			t.Errorf("%s: editDropsURL = %v, want %v", tc.name, got, tc.want)
		}
	}
}
