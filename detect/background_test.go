package detect

import (
	"slices"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

func TestBackgrounded(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want [][]string
	}{
		{"nohup sh /var/tmp/.kbc/b.sh r > /dev/null 2>&1 &", [][]string{{"nohup", "sh", "/var/tmp/.kbc/b.sh", "r"}}},
		{"cd /tmp && (timeout 20 python3 -m http.server 8899 --bind 127.0.0.1 &)", [][]string{{"timeout", "20", "python3", "-m", "http.server", "8899", "--bind", "127.0.0.1"}}},
		{"setsid -f sh -c 'while :; do sleep 1; done' >/dev/null 2>&1 &", [][]string{{"setsid", "-f", "sh", "-c", "while :; do sleep 1; done"}}},
		{"a && b || c; d 2>&1 | e", nil},
		{"x &>/dev/null", nil},
		{"one & two &", [][]string{{"one"}, {"two"}}},
		// a quote put inside single quotes ('\''), an escaped one inside
		// double quotes, an escaped separator: one word each, as the
		// shell reads them
		{`nohup echo 'it'\''s' "a \"b\"" x\;y &`, [][]string{{"nohup", "echo", "it's", `a "b"`, "x;y"}}},
	} {
		got := backgrounded(c.cmd)
		if !slices.EqualFunc(got, c.want, slices.Equal[[]string]) {
			t.Errorf("backgrounded(%q) = %q, want %q", c.cmd, got, c.want)
		}
	}
}

// TestBackgroundedOrphanAdopted: root's shell under the web server puts a
// script in the background and exits; the script execs as init's child
// (ppid 1) with exactly that argv, and what it runs is judged for the web
// server. Removing the folder the chain ran it from is covering tracks.
func TestBackgroundedOrphanAdopted(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(210, 201, 0, "root", "/var/www", "/usr/bin/dash", "sh", "-c", "nohup sh /var/tmp/.kbc/b.sh r > /dev/null 2>&1 &"), s.tree)
	e.Observe(s.exec(211, 1, 0, "root", "/var/www", "/usr/bin/nohup", "nohup", "sh", "/var/tmp/.kbc/b.sh", "r"), s.tree)
	e.Observe(s.exec(211, 1, 0, "root", "/var/www", "/usr/bin/dash", "sh", "/var/tmp/.kbc/b.sh", "r"), s.tree)
	if f := findingOf(e.Observe(s.exec(212, 211, 0, "root", "/var/www", "/usr/sbin/iptables", "iptables", "-F"), s.tree), "defense-impair-web"); f == nil {
		t.Error("the orphaned beacon's task is not judged for the web server")
	}
	if f := findingOf(e.Observe(s.exec(213, 211, 0, "root", "/var/www", "/usr/bin/rm", "rm", "-rf", "/var/tmp/.kbc"), s.tree), "indicator-removal-channel"); f == nil {
		t.Error("removing the folder the chain ran its script from is not covering tracks")
	}
	// an orphan with another argv is not adopted
	e2, s2 := webShellScene(t)
	e2.Observe(s2.exec(210, 201, 0, "root", "/var/www", "/usr/bin/dash", "sh", "-c", "nohup sh /var/tmp/.kbc/b.sh r > /dev/null 2>&1 &"), s2.tree)
	e2.Observe(s2.exec(211, 1, 0, "root", "/", "/usr/bin/dash", "sh", "/etc/init.d/ntp", "start"), s2.tree)
	if f := findingOf(e2.Observe(s2.exec(212, 211, 0, "root", "/", "/usr/sbin/iptables", "iptables", "-F"), s2.tree), "defense-impair-web"); f != nil {
		t.Error("an unrelated orphan of root was adopted")
	}
}

// TestBindShellIsAChannel: a listener the web shell started (perl handing
// /bin/sh -i to the socket) that accepts a client is a bind shell: what
// is typed into it runs in the intruder's channel (stage 7).
func TestBindShellIsAChannel(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(220, 201, 0, "root", "/", "/usr/bin/perl", "perl", "/var/tmp/.kbsync.pl"), s.tree)
	acc := s.next(&parser.Event{Kind: parser.KindAccept, Syscall: "accept", Success: true, PID: 220, PPID: 201,
		UID: parser.NewID(0), EUID: parser.NewID(0), Exe: "/usr/bin/perl", Peer: parser.Addr{Family: "inet", IP: "10.9.9.9", Port: 51000}})
	e.Observe(acc, s.tree)
	e.Observe(s.exec(221, 220, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "-i"), s.tree)
	f := findingOf(e.Observe(s.exec(222, 221, 0, "root", "/", "/usr/bin/id", "id"), s.tree), "reverse-shell-channel-command")
	if f == nil || f.Stage != StageCommandAndControl {
		t.Fatalf("a command typed into the bind shell: %v, want reverse-shell-channel-command on stage 7", f)
	}
}

// TestSiteScriptsRunAreNotOwnFiles: a CGI server runs the site's scripts on
// every request; removing the site is destruction, not the intruder
// removing its own files (only files run from temporary folders count).
func TestSiteScriptsRunAreNotOwnFiles(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(230, 200, 33, "www-data", "/srv/site/www", "/usr/bin/php-cgi", "php-cgi", "/srv/site/www/index.php"), s.tree)
	f := findingOf(e.Observe(s.exec(231, 201, 33, "www-data", "/var/www", "/usr/bin/rm", "rm", "-rf", "/srv/site/www"), s.tree), "data-destruction")
	if f == nil || f.Title != "Data Destroyed By Web Server Account" {
		t.Fatalf("removing the site whose scripts ran: %v, want data destroyed", f)
	}
}

// TestOptionInjected: the application's own command with a quoted value
// now an option is argument injection being tried; another value, or an
// option the application itself passes, is not.
func TestOptionInjected(t *testing.T) {
	s := newState()
	server := &parser.Process{Exe: "/usr/sbin/apache2", Comm: "apache2"}
	app := "cd /srv/kb/docs && git grep -n -i -I 'vpn' 'runbooks' 2>&1"
	s.injected(server, app) // the application's run, remembered
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"cd /srv/kb/docs && git grep -n -i -I '--nosuchopt' 'vpn' 2>&1", true},
		{"cd /srv/kb/docs && git grep -n -i -I '--open-files-in-pager=id;:' 'vpn' 2>&1", true},
		{"cd /srv/kb/docs && git grep -n -i -I 'backup' 'howto' 2>&1", false},
		{"cd /srv/kb/docs && git grep -n -i -I 'x-ray' 'howto' 2>&1", false},
		{"ls -la /srv/kb/docs", false},
	} {
		if got := s.optionInjected(server, c.cmd); got != c.want {
			t.Errorf("optionInjected(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// TestInsertedOption: the application's own command with words inserted
// among its operands, the first an option, is argument injection; its
// probe is an option whose value only prints a marker or who runs it.
// A temporary file's random name and the digits of a folder differ from
// run to run and are no insertion.
func TestInsertedOption(t *testing.T) {
	s := newState()
	server := &parser.Process{Exe: "/usr/sbin/php-fpm8.2", Comm: "php-fpm8.2"}
	s.injected(server, "tar -xzf '/tmp/phpAb12Cd' -C '/var/www/html/supplier/incoming/nord-135544-661' prices.csv 2>&1")
	s.injected(server, "/usr/sbin/sendmail -t -i -fmarta.k@example.org")
	for _, c := range []struct {
		cmd, want string
		probe     bool
	}{
		{"tar -xzf '/tmp/phpoSGjMT' -C '/var/www/html/supplier/incoming/nord-135546-662' prices.csv --to-command=id 2>&1", "--to-command=id", true},
		{"tar -xzf '/tmp/phpoSGjMT' -C '/var/www/html/supplier/incoming/nord-135546-662' prices.csv --to-command=echo 2>&1", "--to-command=echo", true},
		{"tar -xzf '/tmp/phpoSGjMT' -C '/var/www/html/supplier/incoming/nord-135546-662' prices.csv '--to-command=sh /tmp/x' 2>&1", "'--to-command=sh /tmp/x'", false},
		{"tar -xzf '/tmp/phpoSGjMT' -C '/var/www/html/supplier/incoming/nord-135546-662' prices.csv 2>&1", "", false},
		{"tar -xzf '/tmp/phpoSGjMT' -C '/var/www/html/supplier/incoming/nord-135546-662' prices.csv stock.csv 2>&1", "", false},
		{"tar -tzf '/tmp/phpoSGjMT' --wildcards '*.csv' 2>&1", "", false},
		// shop-wishlist: mail()'s fifth argument "-f" . sender, passed
		// through escapeshellcmd, which leaves spaces and dashes: options
		// follow the sender (exim's -be expansion test; sendmail's -X log)
		{"/usr/sbin/sendmail -t -i -fqa.test@mailinator.com -be", "-be", true},
		{"/usr/sbin/sendmail -t -i -fqa.test@mailinator.com -OQueueDirectory=/tmp -X/var/www/html/lib/x.php", "-OQueueDirectory=/tmp -X/var/www/html/lib/x.php", false},
		{"/usr/sbin/sendmail -t -i -fjohn+gifts@example.com", "", false},
		{"/usr/sbin/sendmail -t -i", "", false},
	} {
		got, ok := s.insertedOption(server, c.cmd)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("insertedOption(%q) = %q %v, want %q", c.cmd, got, ok, c.want)
		}
		if ok && optionProbe(got) != c.probe {
			t.Errorf("optionProbe(%q) = %v, want %v", got, !c.probe, c.probe)
		}
	}
}

// FuzzBackgrounded: the command a web-context shell runs is the intruder's
// to write; splitting it into the commands it backgrounds never panics,
// and returns at most 8 argvs, each naming a program.
func FuzzBackgrounded(f *testing.F) {
	for _, s := range []string{"nohup sh /var/tmp/.kbc/b.sh r > /dev/null 2>&1 &", "a & b &", "x &>/dev/null", "'unbalanced &", "(cd /tmp && (sleep 1 &))", "a 2>&1 & \"q & q\" &"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		out := backgrounded(cmd)
		if len(out) > 8 {
			t.Fatalf("%d argvs", len(out))
		}
		for _, argv := range out {
			if len(argv) == 0 || argv[0] == "" {
				t.Fatalf("no program in %q", argv) // ("" is a word, not a command)
			}
		}
	})
}

// FuzzOptionInjected: comparing a hostile command with the application's
// own never panics.
func FuzzOptionInjected(f *testing.F) {
	f.Add("cd /srv && git grep -n 'vpn' 'runbooks'", "cd /srv && git grep -n '--x' 'vpn'")
	f.Fuzz(func(t *testing.T, app, cmd string) {
		s := newState()
		server := &parser.Process{Exe: "/usr/sbin/apache2"}
		s.injected(server, app)
		s.optionInjected(server, cmd)
		s.insertedOption(server, cmd)
	})
}

// TestOptionAfterMailSender: mail()'s sendmail commands pass every rule
// (filter_php_mail), yet they are the application's commands an option
// slipped in after the sender is told from (shop-wishlist: "-f" . from,
// escapeshellcmd'd, given "qa@example.net -be"): the injected option is
// the door being tried, stage 1.
func TestOptionAfterMailSender(t *testing.T) {
	e, s := webShellScene(t)
	if fs := e.Observe(s.exec(210, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", "/usr/sbin/sendmail -t -i -fmarta.k@example.org"), s.tree); len(fs) != 0 {
		t.Fatalf("mail() flagged: %v", ids(fs))
	}
	fs := e.Observe(s.exec(211, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "sh", "-c", "/usr/sbin/sendmail -t -i -fqa.test@example.net -be"), s.tree)
	if len(fs) == 0 || fs[0].Stage != StageInitialAccess {
		t.Fatalf("an option after the sender: %v, want a finding on stage 1", ids(fs))
	}
}

// TestChmodOfAGlobNamesTheFiles: the chmod a web shell's `chmod 755
// /var/tmp/.wl/*.sh` starts names the files the glob stood for; one of
// them run later by root outside the intrusion's tree is the plant firing.
func TestChmodOfAGlobNamesTheFiles(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(210, 200, 33, "www-data", "/var/www/html", "/usr/bin/dash", "/bin/sh", "-c", "chmod 755 /var/tmp/.wl/*.sh && echo ok"), s.tree)
	e.Observe(s.exec(211, 210, 33, "www-data", "/var/www/html", "/usr/bin/chmod", "chmod", "755", "/var/tmp/.wl/a.sh", "/var/tmp/.wl/r.sh"), s.tree)
	fs := e.Observe(s.exec(400, 1, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "/var/tmp/.wl/r.sh", "/dev/null"), s.tree)
	if findingOf(fs, RulePlantedFileRun) == nil {
		t.Errorf("root ran the uploaded script unseen: %v", ids(fs))
	}
}
