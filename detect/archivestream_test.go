package detect

import "testing"

// TestArchiveIntoConnection: an archive written to standard output is
// staged for the connection its reader holds: an implant's tar is, an
// export streamed by a program that connected nowhere is not.
func TestArchiveIntoConnection(t *testing.T) {
	for _, c := range []struct {
		name      string
		connected bool
		want      bool
	}{
		{"the reader connected out", true, true},
		{"the reader connected nowhere", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			e.Observe(s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/python3.11", "python3", "-c", "import socket"), s.tree)
			if c.connected {
				e.Observe(s.connect(210, 201, 33, "/usr/bin/python3.11", "203.0.113.9", 443), s.tree)
			}
			fs := e.Observe(s.exec(211, 210, 33, "www-data", "/", "/usr/bin/tar", "tar", "czf", "-", "-C", "/", "srv/app/conf"), s.tree)
			if got := findingOf(fs, "archive-staging") != nil; got != c.want {
				t.Errorf("archive-staging: %v, want %v (%v)", got, c.want, ids(fs))
			}
		})
	}
}

// TestArchiveByTheServerItself: an archive the server's own program makes
// with no shell between (proc_open of 7z into a mkdtemp folder, the
// accountant's export of benign-shop-trophy) is an application's export as
// often as staging: it needs its chain to show intent. The same archive
// made in a shell (a web shell's 7z) shows intent by itself. Named by its
// temporary path, the act is also the shellless exploitation rule's
// (a temporary path, nothing by itself): two weak kinds, said as staging.
func TestArchiveByTheServerItself(t *testing.T) {
	for _, c := range []struct {
		name        string
		parent      int
		cwd, output string
		want        Shows
	}{
		{"the server's own program, in its scratch folder", 200, "/tmp/acct-Qf2owu", "invoices-2026-11.zip", ShowsCollection},
		{"the server's own program, a temporary path", 200, "/var/www/admin", "/tmp/acct-Qf2owu/invoices-2026-11.zip", ShowsStaging},
		{"a shell's command", 201, "/var/www/admin", "/tmp/acct-Qf2owu/invoices-2026-11.zip", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			fs := e.Observe(s.exec(210, c.parent, 33, "www-data", c.cwd, "/usr/lib/p7zip/7z",
				"/usr/lib/p7zip/7z", "a", "-tzip", "-mem=AES256", "-pS3cret", c.output, "/var/lib/shop/invoices/2026-11"), s.tree)
			f := findingOf(fs, "archive-staging")
			if f == nil {
				t.Fatalf("no archive-staging (%v)", ids(fs))
			}
			if f.Shows != c.want || f.NeedsCorroboration != (c.want != "") {
				t.Errorf("Shows %q, NeedsCorroboration %v; want %q", f.Shows, f.NeedsCorroboration, c.want)
			}
		})
	}
}
