package detect

import "testing"

// TestDataFileRun: a shell or interpreter running, for the web server, a
// file named as data (an attachment's notes.txt, a picture) is
// masquerading, placed on the upload stage; a script with a script's name,
// a command string or a data file given to a program is not.
func TestDataFileRun(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"sh", "notes.txt"}, true},
		{[]string{"/bin/bash", "-x", "/srv/app/www/uploads/avatar.PNG"}, true},
		{[]string{"python3", "/var/www/html/files/report.pdf"}, true},
		{[]string{"perl", "-w", "a.log", "--quiet"}, true},
		// every interpreter that runs a file it is given, not only the
		// common four: Tcl, Lua, expect and awk programs are scripts too
		{[]string{"tclsh8.6", "uploads/logo.png"}, true},
		{[]string{"lua5.3", "notes.txt"}, true},
		{[]string{"gawk", "-f", "files/report.csv"}, true},
		{[]string{"awk", "-F,", "{print $1}", "orders.csv"}, false}, // the program is the quoted text; the .csv is its input
		{[]string{"sh", "install.sh"}, false},
		{[]string{"php", "/var/www/html/cron.php"}, false},
		{[]string{"sh", "-c", "cat notes.txt"}, false},
		{[]string{"sh", "-c", "notes.txt"}, false},
		{[]string{"/usr/bin/convert", "in.png", "out.jpg"}, false},
		{[]string{"python3", "-m", "json.tool", "data.txt"}, false}, // -m's module runs, the file is its input
	} {
		e, s := webShellScene(t)
		exe := "/usr/bin/" + c.args[0]
		if c.args[0][0] == '/' {
			exe = c.args[0]
		}
		f := findingOf(e.Observe(s.exec(202, 201, 33, "www-data", "/var/www/html", exe, c.args...), s.tree), "data-file-run-web")
		if got := f != nil; got != c.want {
			t.Errorf("%q: data-file-run-web %v, want %v", c.args, got, c.want)
		}
		if f != nil && f.Stage != StageWebshellUpload {
			t.Errorf("%q: stage %s, want the upload stage", c.args, f.Stage)
		}
	}
}
