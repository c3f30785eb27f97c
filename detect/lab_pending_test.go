package detect

// labPending lists lab captures recorded before the detection was changed for
// them (issue 15: a new scenario is captured and scored first, then the
// detection improves). For these, TestLabGroundTruth logs a stage without a
// finding instead of failing; a high finding on a benign step still fails.
// Remove an entry once the detection meets its capture; meanwhile
// testdata/lab/e2e-baseline.json keeps its first-contact score from regressing.
// node-api left it when its server was learned from the log
// (detect/servers.go): every stage is found in its window.
// cgi-backdoor left it when web roots and the server's account were learned
// from the log (detect/served.go, detect/servers.go).
// apache-eval (first contact, build 7b58b04: no finding in the windows of
// stage 1 and 6) left it when a shell that only echoes a marker became a
// probe and socat -u was read by its direction (a banner grab is discovery).
// docket-exhibit (first contact, 58d09f6: no finding in the window of
// stage 2; graduated in the tenth session) left it in that session, when a
// marker echoed just after a script landed became the web shell tried
// (landing.go).
// shop-wishlist (held out by lab-hold28; first contact, 6cb8d05: no
// finding of the engine alone in the windows of stages 1, 5 and 6) left it
// in the twenty-second session, when an option after mail()'s sender was
// found against the application's own mail commands and the commands
// handed to the check runner through its queue were adopted (handoff.go).
// kb-sqlconsole (first contact, 7d514e1: no finding in the windows of
// stages 6 and 7) left it when a command a shell backgrounds was adopted by
// its argv (root's beacon started through sudo) and a parent repeating one
// fetch became a beacon polling.
// shop-accounts (held out by lab-hold29; first contact, bfc1a2b: no
// finding of the engine alone in the window of stage 7) left it in the
// twenty-third session, the day it was graduated, when a new file a
// plant's process leaves in the served tree became the return leg of its
// channel (webroot-drop-intrusion: the implant's answers as banner PNGs).
var labPending = map[string]string{
	// held out by lab-hold31, scored at first contact (b0c80a0: 7/10 on
	// stage, 10/10 cited) and at the twenty-fourth session's end (8/10),
	// graduated in the twenty-fifth: no finding of the engine alone in the
	// window of stage 1 (the php://filter chain's first sh -c id: its
	// request, which the timeline reads, is what makes it the way in; the
	// engine alone judges it as a command of the web server).
	"shop-packslip": "held out, scored (b0c80a0 7/10): a layout parameter included as given (php://filter iconv chain to RCE), web shell as a label layout, a library replaced in a root cron job's RUNPATH folder, httptunnel C2, NSS module persistence, curl smtp:// exfiltration",
	// held out by lab-hold30, scored at first contact (35eac47: 6/11 on
	// stage, 8/11 cited) and at the twenty-third session's end (the same),
	// graduated in the twenty-fourth: no finding of the engine alone in the
	// windows of stage 6 (a staff session stolen from the session files
	// and replayed from the attacker's browser: its export runs the same
	// command as the staff's own; only the access log's client tells them
	// apart) and 7 (the root implant polling a finger server for tasks:
	// finger's connections, with the answers in the user names).
	"shop-bulkedit": "held out, scored (35eac47 6/11): a bulk endpoint calling any PHP function, staff session replay, composer post-install-cmd run by root's vendor sync, finger-polling implant, dormant account given a shell and key, nsupdate TXT exfiltration",
	// held out by lab-hold27, scored at first contact (821e6ac: 6/11 on
	// stage, 8/11 cited) and at the twentieth session's end (the same),
	// graduated in the twenty-first: no finding of the engine alone in the
	// windows of stage 1 (the injection's first `sh -c id`, kept at medium
	// in a chain of its own: its request's link is low, so no client ties
	// it to the web shell's) and 6 (the back office pool's worker running
	// the attacker's script through its FastCGI socket: judged as a
	// command of that pool's web account, stage 3; the scan, which reads
	// the whole log, places it on 6).
	"shop-compare": "held out, scored (821e6ac 6/11): PHP complex-syntax injection in a saved comparison, FastCGI socket to another pool, log symlink + logrotate USR1 to ld.so.preload, LDAP-polling implant, incron table",
	// held out by lab-hold25, scored at first contact (0f0f97b: 7/13 on
	// stage, 10/13 cited) and at the eighteenth session's end (the same),
	// graduated in the nineteenth: no finding of the engine alone in the
	// windows of stage 2 (a GIF whose comment holds PHP, run through the
	// path-info of a .php URL: the timeline places its write on stage 2
	// once requests to it ran commands) and 6 (the CI's build script
	// poisoned in www-data's working copy, then run by deploy's cron: a
	// child of cron, not of the web tree). Stage 3 (the commands a shell
	// mail()'s sendmail starts under LD_PRELOAD) left it when output
	// redirected into /var/tmp stopped making a command a suspicious spawn.
	"shop-avatar": "held out, scored (0f0f97b 7/13): GIF polyglot via path-info, LD_PRELOAD through mail(), CI build poisoning, sudo openssl -engine, php-fpm extension implant, UDP C2",
	// the sixteenth session's tuning attack on the shop, first contact
	// (d24f009: 5/12 on stage, 8/12 cited): no finding of the engine alone
	// in the window of stage 7 (the root loop's IMAP tasks run in $(…)
	// subshells no record shows; the timeline joins them to the loop,
	// detection judges each where it ran, as a root shell of no channel)
	"shop-stockfeed": "tuning capture, first contact (d24f009 5/12): XXE, theme partial web shell, sudo nginx WebDAV into sudoers.d, IMAP task loop, nginx location backdoor, gdb -p injection, DICT exfiltration",
	// held out in lab-hold20, scored at first contact (3ce72d4: 5/12 on
	// stage, 6/12 cited), graduated in the fifteenth session: no finding of
	// the engine alone in the windows of stage 1 (a format string in a
	// label's layout parameter reads the app's objects and execs nothing:
	// only the access log shows it) and 6 (the pickle sent to the mill
	// worker's listener: its gypsum shell is placed on stage 6 by the
	// timeline, which ties the worker's run to the client's connect)
	"cuspid-labelfmt": "held out, scored (3ce72d4 5/12): format-string label leak, template upload by traversal, pickle to the mill listener, python -m cwd hijack, ssh Match exec",
	// lab20's tuning attack on the shop, first contact (21b095d; 5/11
	// attack steps on their stage): no finding in the windows of stage 1
	// (zip's options taken from photo names: the marker echo runs from
	// zip's sh, not the web server's) and 6 (psql with the reporting
	// password, whose COPY FROM PROGRAM runs sh -c in the PostgreSQL
	// backend as postgres: a child of the postmaster, not of the web tree)
	"shop-export": "first contact (21b095d 5/11): zip option injection, worker reverse shell, PostgreSQL COPY FROM PROGRAM, SUID PATH hijack, apt hook",
	// held out in lab20, scored at its end (5/11 on stage at first
	// contact, b67b4db; 4/11 at the end of tuning; 9/11 after): no finding
	// in the window of stage 2 (the web shell written by a script run by
	// name, whose text the log lacks)
	"desk-attachname": "held out, scored (b67b4db 5/11): attachment file-name injection, ~/.ssh/rc UDP shell, SOCKS pivot",
	// held out in lab19, scored at its end (3/13 on stage, b67b4db); 11/13
	// after (a persistence place edited by an argv, a planted callback's
	// channel, a web shell written by a command): no finding in the windows
	// of stage 1 (template probes that exec nothing: only the access log
	// shows them) and, for the engine alone, 2 (the web shell template is
	// placed on 2 by the timeline, once requests to it ran commands)
	"press-ssti": "held out, scored (b67b4db 3/13): Perl template injection, logrotate postrotate callback",
	// held out this round, scored at the end of tuning (5/12 steps on
	// their stage at first contact, c1cbabc, and at the end of tuning,
	// 04a531b; 10/12 after): no finding in the window of stage 6 — the
	// intruder used a token from the shop's config against the team KB's
	// extension installer (another server, another account), then ran
	// commands through the extension; nothing ties the KB's worker to the
	// shop's intruder but a local connection to the server the web shell
	// started
	"shop-search": "held out, scored (c1cbabc/04a531b 5/12): lateral movement into the team KB through its extension installer",
	// first contact on c3efb4b: no finding in the window of stage 5. The
	// engine alone still has none there: the compiled view planted in
	// cache/views/ is placed on 5 by the timeline, once a page ran it for
	// a command that shows intent (timeline/reentry.go, an include plant)
	"shop-miner": "first contact (c3efb4b): PHPUnit eval-stdin.php RCE, cryptojacking, view-cache watchdog",
	// first contact on 5d7ce7a: no finding in the windows of stages 1
	// (the manager password guesses), 2 (the WAR deployed through the
	// manager), 5 (the JSP copied into the stock app, the setenv.sh line)
	// and 6 (su with the reused password through script's pty)
	"tomcat-manager": "first contact (5d7ce7a): Tomcat 10.1, manager text API, WAR web shell",
	// held out this round, scored once (d88e60a): the engine alone has no
	// finding in the windows of stage 1 (the traversal probes: php-fpm's
	// own reads, a credential-file finding placed on 4) and 7 (the DNS
	// TXT beacon: the loop's dig and base64 run in a forked shell whose
	// parent the log never names)
	"nginx-lfi": "held out (d88e60a): LFI with access-log poisoning, git hook, DNS TXT C2",
	// held out this round, scored once at the end of tuning (7/13 on
	// stage, as at first contact on 7d514e1): the engine alone has no
	// finding in the window of stage 1 — git options tried through the
	// docs search's query (--nosuchopt, -l, --count) are the page's own
	// git grep with another word; the scan places the probe by its
	// request (timeline), the engine cannot
	"kb-docs": "held out (7d514e1, scored at the end of tuning): git argument injection through the docs search",
	// held out this round (lab-hold), first contact on 21b095d (3/9 steps
	// on their stage): no finding in the windows of stages 5, 6 and 7
	"kb-installer": "held out (21b095d, first contact 3/9 on stage): the team KB through a page left in its web root",
	// held out by lab-hold5, first contact on fecb84a (2/9 steps on their
	// stage), graduated and tuned on (8/9): the link preview's probes of
	// local ports (stage 1) run nothing, and no finding is in its window
	// held out in the fifth session of 2026-12-05, graduated in the sixth:
	// ledger-receipt (first contact 3/11 on stage, 667aa66) has no finding
	// in the window of stage 1 — the attacker reads expvar and probes the
	// receipt upload's name with a traversal, which the Go service serves
	// itself (a 400, then a file it creates: no exec, no watched path);
	// netdiag-profile (8/10 at first contact, 71fd633) neither — its pickle
	// probe's id and uname are commands the worker runs, placed on 3
	"ledger-receipt":  "graduated (first contact 3/11 on 667aa66): the expvar read and the receipt name's traversal probe run nothing",
	"netdiag-profile": "graduated (first contact 8/10 on 71fd633): the pickle probe's id and uname are placed on 3, as command execution",
	// held out in the eleventh session (lab-hold17), graduated in the
	// twelfth: hivelog-rpcsend (first contact 6/11 on stage, 7dfa240;
	// 10/11 after) has no finding in the window of stage 1 — the RPC
	// probe's id (Kernel#` reached through Object#send) and uname are the
	// worker's commands, placed on 3 as netdiag-profile's; press-ssti's
	// ground truth calls the same first commands execution (3)
	"hivelog-rpcsend": "graduated (first contact 6/11 on 7dfa240): the RPC probe's id and uname are placed on 3, as command execution",
	// held out in the twelfth session (lab-hold18), graduated in the
	// thirteenth: plotbook-noticepreview (first contact 0/10 on stage,
	// 7365499; 4/10 after) has no finding in the windows of stages 1 and
	// 2 — the template injection's id; hostname is the worker's command,
	// placed on 3, and the planted code is a line appended to a vendored
	// module the app imports: the engine places its write as persistence
	// (5); the commands it ran later come from workers forked after the
	// reload, which only the timeline ties to the write (re-placing it on
	// 2, timeline/loadedmodule.go)
	"plotbook-noticepreview": "graduated (first contact 0/10 on 7365499): the injection's first commands are placed on 3, the patched module's write on 5",
	// held out in the thirteenth session (lab-hold19), graduated in the
	// fourteenth: cragboard-prefmerge (first contact 1/10 on stage,
	// 76331ec; 9/10 after) has no finding in the window of stage 1 — the
	// prototype pollution's first command (id; uname -a; pwd, in the
	// forked card worker that preloaded the uploaded "photo") is placed on
	// 3, as command execution, as hivelog's and plotbook's first commands
	"cragboard-prefmerge": "graduated (first contact 1/10 on 76331ec): the pollution's first command is placed on 3, as command execution",
	// held out in the sixth session of 2026-12-05 (lab-hold8), graduated in
	// the seventh: shipnotes-import (first contact 2/11 on stage, b3bc2ff)
	// runs most of its attack inside puma, the Ruby app server: the
	// engine alone has no finding in the windows of stage 1 (Kernel#open's
	// |id and |uname are placed on 3), 2 (the ERB partial written by a
	// shell is placed on 4), 6, 7 and 8 (net-ssh, the polling thread and
	// the chunked POSTs are puma's own connects)
	"shipnotes-import": "graduated (first contact 2/11 on b3bc2ff): an attack inside puma, its C2, lateral movement and exfiltration in-process",
	// held out in the seventh session (lab-hold10), graduated in the
	// eighth: tidegauge-plot (first contact 4/12 on stage, 03d76e7; 9/12
	// at graduation) has no finding in the window of stage 2 for the
	// engine alone: the Lua endpoint is written by the injected shell's
	// redirection into the app's lua/api folder, which no server is seen
	// serving from (its workers' cwd is the lab's), and the requests to
	// /api/calib carry their Lua in a header, not in any argv
	// held out in the eighth session (lab-hold11), graduated in the same
	// session: hollybox-sync (first contact 2/11 on stage, 9abc9e8; 5/11
	// at graduation) has no finding in the windows of stage 1 for the
	// engine alone (the cookie bypass is requests only; the stored
	// injection's sleep and id run from the test CGI's shell, placed on
	// 3) and 2 (two lines appended to the shell include: the edit is
	// placed on 4 and 5)
	// held out in the sixth session (lab-hold9), graduated in the ninth:
	// scaleyard-archive (first contact 7/13 on stage, 8c9cfcd; 8/13 at
	// graduation) has no finding in the window of stage 1 for the engine
	// alone: the open's x;id and x;uname -a are placed on 3, and the
	// timeline places them on 1 (an opening check appended to the
	// application's data, timeline/opening.go)
	"scaleyard-archive": "graduated (first contact 7/13 on 8c9cfcd): a two-argument open's injected checks, an in-process web shell, root's cron sourcing the app's settings",
	"hollybox-sync":     "graduated (first contact 2/11 on 9abc9e8): a cookie bypass and a stored injection sourced by a shell CGI, an include appended",
	"tidegauge-plot":    "graduated (first contact 4/12 on 03d76e7): a Lua endpoint written by the injected shell, used through a header",
	"kb-preview":        "graduated (first contact 2/9 on fecb84a, 8/9 now): the SSRF's port probes (stage 1) make no finding",
	// held out in the ninth session (lab-hold13), graduated in the tenth:
	// tallyhall-xslt (first contact 2/9 on stage, 5ecb99f) has no finding
	// in the window of stage 1: the probe .rpy the server wrote through
	// an XSLT's exsl:document is a script planted (2), its fixed
	// `id; uname -a; pwd` a web shell's command (3), and the next .rpy's
	// `echo scale-ok`, the only act placed on 1 before, is that web
	// shell being tried (2, landing.go)
	"tallyhall-xslt": "graduated (first contact 2/9 on 5ecb99f): the probe script's write (2) and its fixed checks (3) are the exploit",
	// berthplan-rules (held out by lab-hold12, graduated in the ninth
	// session) has no finding in the window of stage 1 for the engine
	// since the tenth: its YAML gadget's `sh -c 'id; uname -a'` is placed
	// on 3 (a whole-check shell code), and the template web shell's `echo
	// tide-ok`, the only act placed on 1 before, is that web shell being
	// tried (2, landing.go)
	// held out in the tenth session (lab-hold15), graduated in the same
	// session: kiln-photourl (first contact 3/11 on stage, 2b348f2) has
	// no finding in the window of stage 1: curl's injected -o writes the
	// attacker's test file as the app's own fetch would (placed with the
	// fetches, on 4 and 7)
	"kiln-photourl":   "graduated (first contact 3/11 on 2b348f2): curl option injection through the app's link fetch",
	"berthplan-rules": "graduated (first contact 6/9 on 41d3f87): the YAML gadget's whole-check shell code is placed on 3",
}
