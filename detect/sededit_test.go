package detect

import (
	"strings"
	"testing"
)

// TestSedAlters: an in-place edit that deletes, comments out or
// substitutes takes away or alters; one that appends or inserts adds.
func TestSedAlters(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{`sudo -n sed -i 's/^flood_alarm_m=.*/flood_alarm_m=9.90/' /srv/tidegauge/conf/alarms.conf`, true},
		{`sed -i 's/^\([^#].*hollybox-snapshot\)/#\1/' /etc/cron.d/hollybox`, true},
		{`sed -i '/OPENSSL-CONNECT/d' /etc/logrotate.d/press`, true},
		{`sed -i -e '/python3 -/d' /var/www/news/bin/maint.sh && touch -r a b`, true},
		{`sed -i.bak 's|x|y|g' /srv/app/conf/app.ini`, true},
		{`sed -i '$a setsid -f ssh -N -R 1:2:3 u@h' /home/u/.profile`, false},
		{`sed -i '1i dig +short @127.0.0.1 x' /root/.bashrc`, false},
		{`sed -i '/^exec /i [ -x /x ] && setsid -f /x' /srv/ledger/bin/start.sh`, false},
		{`sed -n 's/x/y/p' /etc/passwd`, false},
		{`sed 's/x/y/' /etc/hosts > /tmp/h`, false},
		{`grep -v sed /etc/passwd`, false},
		{`sed -i`, false},
		// a substitution that keeps what it matched and adds to it appends
		// code, as a does (shop-cartcache: a fastcgi_param line after the
		// include of the shop's vhost)
		{`sed -i 's|^\(\s*\)include snippets/fastcgi-php.conf;|&\n\1fastcgi_param PHP_VALUE "auto_prepend_file=/x.inc";|' /etc/nginx/sites-available/shop`, false},
		{`sed -i 's/^exec /&nohup \/tmp\/x; /' /srv/app/start.sh`, false},
		{`sed -i 's/^run$/run\n\/tmp\/.x/' /etc/rc.local`, false},
		{`sed -i 's/x\&y/z/' /srv/app/conf/app.ini`, true},
		// the argv joined by spaces, its quotes gone (a process's command)
		{`sed -i s|^\(\s*\)include snippets/fastcgi-php.conf;|&\n\1fastcgi_param PHP_VALUE "auto_prepend_file=/x.inc";| /etc/nginx/sites-available/shop`, false},
		{`sed -i s/^max_size = .*/max_size = 20M/ /etc/app.conf`, true},
	} {
		if got := sedAlters(c.cmd); got != c.want {
			t.Errorf("sedAlters(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// FuzzSedAlters: any command line is read without a panic, and an edit
// is found only where sed is given -i.
func FuzzSedAlters(f *testing.F) {
	f.Add(`sudo -n sed -i 's/^a=.*/a=9/' /srv/x.conf`)
	f.Add(`sed -i -e '/x/d' f; sed -i '$a y' g`)
	f.Add(`sed --in-place --expression='s|a|b|' f`)
	f.Add(`sed -i`)
	f.Fuzz(func(t *testing.T, cmd string) {
		if sedAlters(cmd) && !strings.Contains(cmd, "sed") {
			t.Errorf("sedAlters(%q) without sed", cmd)
		}
	})
}
