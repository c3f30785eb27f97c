package timeline

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Request-link measurement (issue 14, item 1): over every web-triggered
// exec of a lab capture whose ground truth records the request that caused
// it (web_execs, requests), how often the analyzer names the right request.
// A wrong link is a defect (precision must be 100%); an "ambiguous: N
// candidates" answer is counted apart, neither right nor wrong.

// reqTruth is the part of ground-truth.json this measurement reads.
type reqTruth struct {
	WebServers []struct {
		Name string `json:"name"`
		Pids []int  `json:"pids"`
	} `json:"web_servers"`
	Requests []struct {
		ID     string  `json:"id"`
		Method string  `json:"method"`
		Path   string  `json:"path"` // with the query
		Start  float64 `json:"start"`
		End    float64 `json:"end"`
	} `json:"requests"`
	WebExecs []struct {
		Serial  uint64 `json:"serial"`
		Argv    string `json:"argv"`
		Request *struct {
			ID string `json:"id"`
		} `json:"request"`
	} `json:"web_execs"`
}

// linkScore counts the outcomes of one capture.
type linkScore struct {
	execs, right, wrong, ambiguous, ambiguousHit, none int
	wrongs                                             []string
	misses                                             []string // ambiguous and unlinked, described (REQLINK_MISSES=1)
}

func (s linkScore) precision() float64 {
	if s.right+s.wrong == 0 {
		return 1
	}
	return float64(s.right) / float64(s.right+s.wrong)
}

func (s linkScore) recall() float64 {
	if s.execs == 0 {
		return 1
	}
	return float64(s.right) / float64(s.execs)
}

func (s linkScore) String() string {
	return fmt.Sprintf("%d web execs: %d right, %d wrong, %d ambiguous (%d with the cause among the candidates), %d unlinked; precision %.1f%%, recall %.1f%%",
		s.execs, s.right, s.wrong, s.ambiguous, s.ambiguousHit, s.none, 100*s.precision(), 100*s.recall())
}

// scoreRequestLinks runs capture dir through the parser and the Builder
// (with servers as the web-server names) and scores its request links.
func scoreRequestLinks(t *testing.T, dir string, servers []string) linkScore {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if _, herr := os.Stat(filepath.Join(dir, "held-out-ground-truth.json")); err != nil && herr == nil {
		// held out of this round's tuning (testdata/lab/README.md): measured
		// once when scored, when its ground truth takes the usual name
		t.Skipf("%s is held out until scored", filepath.Base(dir))
	}
	if err != nil {
		t.Fatalf("lab capture missing: %v", err)
	}
	var gt reqTruth
	if err := json.Unmarshal(raw, &gt); err != nil {
		t.Fatal(err)
	}
	if len(gt.WebExecs) == 0 {
		t.Fatalf("%s: no web_execs in the ground truth", dir)
	}
	b, bySerial := labCausality(t, dir, servers)
	return scoreTail(b, b.matchRequests(), gt, bySerial)
}

// labCausality reads a lab capture's audit log and access log into a
// Builder, as scan does, with servers as the web-server names (nil: the
// default classifier).
func labCausality(t *testing.T, dir string, servers []string) (*Builder, map[uint64]*parser.Event) {
	t.Helper()
	var files []string
	for _, f := range []string{"audit.log", "audit.log.gz", "orders-access.log", "access.log", "gunicorn-access.log", "lighttpd-access.log", "apache-access.log", "tomcat-access.log", "news-access.log", "press-access.log", "desk-access.log", "ledger-access.log", "haproxy-access.log", "requests.log", "caddy-access.log", "uwsgi-access.log"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			files = append(files, filepath.Join(dir, f))
		}
	}
	// a container's json-file log, laid out as on the host
	logs, _ := filepath.Glob(filepath.Join(dir, "var", "lib", "docker", "containers", "*", "*-json.log"))
	files = append(files, logs...)
	ins, skipped := parser.Resolve(files, nil)
	if len(ins) == 0 {
		t.Fatalf("no inputs: %v", skipped)
	}
	// the servers the rules engine learns from the log, as scan passes
	// them: which front servers a host runs decides how an access log's
	// times are read (reqlogged.go)
	eng, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBuilder(Options{AuditRules: filepath.Join(dir, "audit.rules"), WebServers: servers, Servers: eng.Servers()})
	if err != nil {
		t.Fatal(err)
	}
	r := parser.NewReader(ins, parser.Options{})
	defer r.Close()
	bySerial := map[uint64]*parser.Event{}
	if err := r.All(func(ev *parser.Event) {
		b.Observe(ev)
		eng.Observe(ev, r.Tree())
		if ev.Source == "auditd" && ev.Kind == parser.KindExec && bySerial[ev.Serial] == nil {
			bySerial[ev.Serial] = ev
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b, bySerial
}

func scoreTail(b *Builder, cz causality, gt reqTruth, bySerial map[uint64]*parser.Event) linkScore {
	// the ground truth's request of an access-log line: same method and
	// URL, logged inside the driver's client span
	var byRank map[*parser.Event]string
	truthOf := func(ev *parser.Event) string {
		if id, ok := byRank[ev]; ok {
			return id
		}
		span := b.spanOf(ev)
		url := ev.HTTP.Path
		if ev.HTTP.Query != "" {
			url += "?" + ev.HTTP.Query
		}
		e := float64(span.end.Add(-span.late).UnixMilli()) / 1e3 // the logged end, whatever lag the build allows past it
		best, bd := "?"+describeRequest(ev), math.Inf(1)
		for _, q := range gt.Requests {
			if q.Method != ev.HTTP.Method || q.Path != url {
				continue
			}
			if span.endExact && e >= q.Start-0.01 && e <= q.End+0.05 && math.Abs(q.End-e) < bd {
				best, bd = q.ID, math.Abs(q.End-e)
			}
			// a log to the second (lighttpd's): the server ended the
			// request inside the logged second and inside the client's
			// span (the client sees the end a moment later, often in the
			// next second), having started it inside the client's span
			// too: the one truth request that fits, when only one does
			if !span.endExact && fitsSecond(q.Start, q.End, ev, b.loggedOf(ev), scorerLag(posOf(ev).File)) {
				if bd == 0 {
					return "?two " + describeRequest(ev)
				}
				best, bd = q.ID, 0
			}
		}
		return best
	}
	// identical requests (same method and URL) of one log to the second:
	// the log writes lines in the order their requests ended, and the
	// clients see the ends in the same order, so the lines and the truth
	// requests that fit them pair up in order, one to one (two clients
	// sending the same request a second apart are told apart this way).
	byRank = map[*parser.Event]string{}
	groups := map[string][]*parser.Event{}
	for _, r := range b.requests {
		if sp := b.spanOf(r); !sp.endExact {
			k := fmt.Sprint(describeRequest(r), " ", r.FirstEvidence().Pos.File)
			groups[k] = append(groups[k], r)
		}
	}
	for _, g := range groups {
		ev := g[0]
		url := ev.HTTP.Path
		if ev.HTTP.Query != "" {
			url += "?" + ev.HTTP.Query
		}
		var qs []int
		for k, q := range gt.Requests {
			if q.Method == ev.HTTP.Method && q.Path == url {
				qs = append(qs, k)
			}
		}
		sort.Slice(g, func(i, j int) bool { return g[i].FirstEvidence().Pos.Line < g[j].FirstEvidence().Pos.Line })
		sort.Slice(qs, func(i, j int) bool { return gt.Requests[qs[i]].End < gt.Requests[qs[j]].End })
		used := make([]bool, len(qs))
		for _, r := range g {
			for k, qi := range qs {
				q := gt.Requests[qi]
				if !used[k] && fitsSecond(q.Start, q.End, r, b.loggedOf(r), scorerLag(posOf(r).File)) {
					used[k], byRank[r] = true, q.ID
					break
				}
			}
		}
	}
	var s linkScore
	for _, we := range gt.WebExecs {
		if we.Request == nil {
			continue // the ground truth itself does not know
		}
		s.execs++
		ev := bySerial[we.Serial]
		var root *parser.Process
		if ev != nil {
			for p := ev.Proc; p != nil && p.Parent != nil; p = p.Parent {
				// the request's own process: the server's child that is not
				// a worker of the same server (php-fpm's pool worker is;
				// lighttpd's per-request php-cgi is not)
				if b.opts.isWebServer(p.Parent) && (!b.opts.isWebServer(p) || p.Exe != p.Parent.Exe && !b.opts.isWebServer(p.Parent.Parent)) {
					root = p
					break
				}
			}
		}
		rl, ok := cz.execs[root]
		if os.Getenv("REQLINK_MISSES") != "" && (!ok || root == nil || rl.Request == nil || len(rl.Candidates) > 0 && rl.Inferred && rl.Basis == BasisAmbiguous) {
			var tq string
			for _, q := range gt.Requests {
				if q.ID == we.Request.ID {
					tq = fmt.Sprintf("%s %s %.3f..%.3f", q.Method, q.Path, q.Start, q.End)
				}
			}
			var b strings.Builder
			fmt.Fprintf(&b, "MISS serial %d %q truth %s (%s)", we.Serial, we.Argv, we.Request.ID, tq)
			if ev != nil {
				fmt.Fprintf(&b, " exec %s", stamp(ev.Time))
				if root != nil && root.Parent != nil {
					fmt.Fprintf(&b, " worker %d %s", root.Parent.Key.PID, root.Parent.Name())
				}
			}
			for _, c := range rl.Candidates {
				fmt.Fprintf(&b, "\n    cand %s %s line %d bytes %d -> %s", describeRequest(c), stamp(c.Time), posOf(c).Line, c.HTTP.Bytes, truthOf(c))
			}
			fmt.Fprintf(&b, "\n    reason: %s", rl.Reason)
			s.misses = append(s.misses, b.String())
		}
		switch {
		case !ok || root == nil:
			s.none++
		case rl.Request == nil || len(rl.Candidates) > 0 && rl.Inferred && rl.Basis == BasisAmbiguous:
			s.ambiguous++
			for _, c := range rl.Candidates {
				if truthOf(c) == we.Request.ID {
					s.ambiguousHit++ // once per exec, whatever its candidates
					break
				}
			}
		case truthOf(rl.Request) == we.Request.ID:
			s.right++

		default:
			s.wrong++
			s.wrongs = append(s.wrongs, fmt.Sprintf("serial %d %q: linked to %s at %s (%s), truth %s", we.Serial, we.Argv, describeRequest(rl.Request), stamp(rl.Request.Time), rl.Reason, we.Request.ID))
		}
	}
	sort.Strings(s.wrongs)
	return s
}

// fitsSecond reports whether a request the client saw from start to end
// (epoch seconds) can be the one a log to the second wrote as ev: some end
// in the logged second, inside the client's span, less the logged duration
// (if any) not before the client's start. 50 ms absorbs the two clocks.
//
// A log whose times are receive times (Apache's %t, reqlogged.go) is read
// the other way: the request was received in the logged second, inside the
// client's span, and ended its duration later, not after the client's end.
// scorerLag is how far a log's stamped second may trail the real time,
// as the scorer knows its servers, whatever the build under test assumes:
// lighttpd stamps with a cached clock (laggingServers; benign-reports
// shows lines a second and more before their request started).
// Twisted Web's combined log (tallyhall-xslt's access.log) stamps with a
// second a timer refreshes (HTTPFactory._logDateTime): its driver saw
// requests start up to 0.37 s past their logged second + 1 and end up to
// 1.21 s past it.
func scorerLag(file string) time.Duration {
	if strings.Contains(filepath.Base(file), "lighttpd") || strings.Contains(file, "tallyhall-xslt") {
		return 1500 * time.Millisecond
	}
	return 0
}

func fitsSecond(start, end float64, ev *parser.Event, at loggedAt, lag time.Duration) bool {
	const slack = 0.05
	sec := float64(ev.Time.Unix())
	dur := 0.0
	if ev.HTTP.HasDuration {
		dur = ev.HTTP.Duration.Seconds()
	}
	// a server stamping with a cached clock (lighttpd) logs a second up to
	// lag before the real moment
	top := sec + 1 + lag.Seconds()
	asEnd := math.Max(sec, start+dur-slack) <= math.Min(top, end+slack)
	asStart := math.Max(sec, start-slack) <= math.Min(top, end+slack-dur)
	switch at {
	case loggedStart:
		return asStart
	case loggedEither:
		return asStart || asEnd
	}
	return asEnd
}

// TestRequestLinkPrecisionRecall measures the request links of the
// captures with request ground truth. benign-node was held out of tuning
// and scored once at the end of the round that built the links; it is
// measured with the others since. node is named a web server here, as
// the ground truth's web_servers say, whatever the default classifier
// thinks of it. cgi-backdoor (lighttpd + php-cgi through mod_cgi, a log
// to the second with %D) is held to the same targets; benign-busy (plain
// combined format, no duration) to precision only. webshell-variant and
// benign-day were re-captured with request truth (issue 14): the first
// (gunicorn's log, to the second, no duration) meets both targets; the
// second (nginx's and gunicorn's logs, both so) is held to precision only,
// as is webshell-classic (nginx's plain combined log), re-captured after them.
// container (the classic attack in a Docker container, re-captured last)
// reads its access lines from the json-file log, whose nanosecond times
// are the end of each request: it meets both targets.
func TestRequestLinkPrecisionRecall(t *testing.T) {
	caps := []string{"node-api", "benign-node", "cgi-backdoor", "benign-busy", "apache-eval", "benign-apache", "webshell-variant", "benign-day", "webshell-classic", "container", "tomcat-manager", "benign-tomcat", "nginx-lfi", "benign-news", "news-deser", "shop-miner", "benign-maint", "shop-reviews", "shop-import", "benign-ops", "shop-search", "benign-lookalike", "kb-sqlconsole", "kb-docs", "benign-press", "press-ssti", "benign-desk", "desk-attachname", "shop-export", "benign-export", "kb-installer", "benign-kbops", "kb-preview", "benign-reports", "ledger-receipt", "netdiag-profile", "benign-ledger", "shipnotes-import", "benign-fieldbook", "tidegauge-plot", "hollybox-sync", "benign-hollybox", "scaleyard-archive", "berthplan-rules", "tallyhall-xslt", "docket-exhibit", "kiln-photourl", "stillroom-savedview", "hivelog-rpcsend", "plotbook-noticepreview", "cragboard-prefmerge", "benign-cragboard", "cuspid-labelfmt", "benign-cuspid", "benign-shop-promo", "shop-specsheet", "benign-shop-media", "shop-giftcard", "shop-stockfeed", "shop-cartcache", "benign-shop-checkout", "shop-pricelist", "benign-shop-invoices", "benign-shop-backoffice", "shop-avatar", "benign-shop-wholesale", "shop-returns", "benign-shop-courier", "shop-compare", "benign-shop-keepsake", "shop-wishlist", "benign-shop-trophy", "shop-accounts", "benign-shop-needledrop", "shop-bulkedit", "benign-shop-pantry", "shop-packslip", "benign-shop-advent", "shop-partnerfeed", "benign-shop-spokeworks", "shop-engrave", "benign-shop-folio"}
	for _, c := range caps {
		t.Run(c, func(t *testing.T) {
			var servers []string                       // the default classifier knows lighttpd, apache2 and (by its process title) Tomcat
			if c == "node-api" || c == "benign-node" { // node is in no default list
				servers = []string{"node"}
			}
			if c == "ledger-receipt" || c == "benign-ledger" { // ledgerd: scan learns it as nginx's upstream
				servers = []string{"ledgerd"}
			}
			if c == "benign-press" || c == "press-ssti" { // hypnotoad's workers: scan learns them as nginx's upstream
				servers = []string{"perl"}
			}
			s := scoreRequestLinks(t, filepath.Join("..", "testdata", "lab", c), servers)
			t.Logf("%s: %s", c, s)
			for _, m := range s.misses {
				t.Log(m)
			}
			if fc, ok := reqLinkFirstContact[c]; ok && (s.wrong > 0 || s.recall() < 0.9) {
				if s.wrong > fc.wrong || s.recall() < fc.recall {
					t.Errorf("%s: worse than its first contact (%d wrong, recall %.1f%%): %s\n%s", c, fc.wrong, 100*fc.recall, s, strings.Join(s.wrongs, "\n"))
				}
				t.Skipf("KNOWN FAILING since its first contact (%s): %s; wrong links:\n%s", fc.why, s, strings.Join(s.wrongs, "\n"))
			}
			if s.wrong > 0 {
				t.Errorf("%d wrong request links (precision must be 100%%):\n%s", s.wrong, strings.Join(s.wrongs, "\n"))
			}
			// benign-busy's nginx writes the plain combined format: times to
			// the second and no duration, so a visitor's page and the probe's
			// script in one second are honestly ambiguous. Precision is held
			// there too; recall is what such a log allows. benign-day has
			// two such logs (nginx's and gunicorn's, both to the second, no
			// duration) with two visitor streams in step: at its re-capture
			// with request truth (3e092fd) 31 right, 0 wrong, 20 ambiguous
			// (the cause among the candidates in all), 2 unlinked, recall
			// 58.5%. 11 of the ambiguous are the deploy hook's git pull and
			// its git children (one request, 8 candidates: the hook's line
			// and the visitors' lines logged while git ran, nginx's and
			// gunicorn's alike), 6 the two thumbnails' convert (4 each), 3
			// gunicorn's uptime (7 each, nginx's lines of the second among
			// them: candidates are not kept to the spawning server's log);
			// the 2 unlinked were the day's first
			// status.php shell (sh -c date, serial 16796, and its date) of a
			// php-fpm worker whose own first record (its accept, serial 16877)
			// is written after its child's exec; since such children are
			// judged again once the worker is named (laterWebExecs) they are
			// right: 33 right, 0 unlinked, recall 62.3%.
			// webshell-classic (re-captured with request truth too, nginx's
			// plain combined log): 35 right, 0 wrong, 43 ambiguous (the
			// cause among the candidates in all), 4 unlinked, recall 42.7%.
			// Every attack exec (the web shell's 16 commands and shells,
			// the reverse shell's 19) is right; the 43 ambiguous are the
			// visitors' probe and contact shells (14 sh -c date + date, 5
			// sh -c sendmail + /bin/sh sendmail + cat), each logged in the
			// second of GET / and /products.php of the same visitor round;
			// the 4 unlinked were the first sh -c date (+ date) of two
			// php-fpm workers (serials 17585, 17696) whose own first
			// record comes after their child's exec, as on benign-day; now
			// judged again, they are ambiguous like the other probe shells
			// (47 ambiguous, 0 unlinked). Rule 5c (the eighth session) names
			// the contact form's sendmail shells (POST /contact.php requested
			// only with a run, the pages beside it also without one): 50
			// right, 32 ambiguous, 61.0%. The 32 left are honest: every
			// visitor round fetches /products.php just before /status.php in
			// the same second (16 requests each, never one without the
			// other), and the log has neither duration nor sub-second end,
			// so nothing in it tells which of the two ran sh -c date.
			// The workers' ends do (rule 5g), once the GET / nginx
			// answers itself is left out of the second's count
			// (reqfront.go, req22): 72 right, 10 ambiguous, 87.8%;
			// benign-busy the same way 62 -> 82 right, 81.2%. Both stay
			// held to precision only: the runs left have their end near
			// a second's turn or within 20 ms of another.
			// container (the same attack and visitors, the same nginx and
			// php-fpm in a container; its access lines from the json-file
			// log, end times to the nanosecond): at its re-capture with
			// request truth 72 right of 72 (the web shell's 16 commands
			// and shells, the reverse shell's 19, the visitors' 37 probe
			// and contact shells), 0 wrong, 0 ambiguous, 0 unlinked.
			if s.recall() < 0.9 && c != "benign-busy" && c != "benign-day" && c != "webshell-classic" {
				t.Errorf("recall %.1f%% < 90%%", 100*s.recall())
			}
		})
	}
}

// reqLinkFirstContact holds the captures that missed the targets (100%
// precision, 90% recall) at their first contact with the analyzer, with
// the figures measured then: they are reported as skipped, KNOWN FAILING,
// until the request links (or this scorer) handle them, and fail only if
// they get worse. Remove an entry once its capture meets the targets.
//
// Both Apache captures were first measured on build 7b58b04 (Apache's %t
// read as the end of a request): apache-eval 160 right, 0 wrong, 22
// ambiguous, recall 87.9%; benign-apache 666 right, 14 wrong, 217
// ambiguous, recall 73.8%. Main then read %t as the receive time
// (reqlogged.go), and this scorer learned the same (fitsSecond) and to
// pair identical requests of two clients with the lines one to one, in
// end order; every "wrong" link the old scorer counted had been checked
// by hand against driver-requests.tsv and was right. apache-eval then met
// both targets (166 right, 0 wrong, 16 ambiguous, recall 91.2%) and left
// this table. benign-apache (92.7%), shop-miner, benign-maint,
// shop-reviews and benign-ops (92.9-99.5%) had met both since earlier
// rounds, and news-deser (84.1 → 97.9%), kb-docs, kb-installer (86.5 →
// 97.3%) and benign-kbops (81.8 → 93.3%) met them with rule 5c (the
// eighth session of 2026-12-05): all left this table; their first
// contacts are in the README's request-link table. benign-tomcat (held
// out; 372/721 right, 125 wrong at the end of its round's tuning, 8d8ba14;
// 68.8% at the eighth session), shop-import (first contact b1db363:
// 24/177 right, 0 wrong, recall 13.6%; 78.0% at the eighth session) and
// benign-lookalike (first contact 7d514e1: 16/889 right, 570 wrong,
// recall 1.8%; 79.6% at the eighth session) met both in the ninth (the
// worker's busy time widening the candidates, rule 5c's exactness over
// the background cap, rule 5d's one run per request): 90.1%, 97.7% and
// 93.6%, and left it; benign-news (first contact d21e717: 8/243 right,
// 6 wrong, recall 3.3%; 55.6% at the eighth session) met both with rule
// 5e (mail from two forms): 237/243, 97.5%, and left it too. kb-sqlconsole
// (added at the end of its round: 262/278 right, 3 "wrong" the scorer's,
// 6 ambiguous, 7 unlinked) had its Apache log read as end times by line
// order, against its path: its 3 disputed links were right, the reading
// wrong. Both readings allowed when the two disagree: 272/278, 0 wrong,
// 97.8%, and it left the table. berthplan-rules (graduated in the ninth
// session: 102/178 right, 7 wrong, 16 ambiguous, 53 unlinked; 4 wrong, 19
// ambiguous once a shell's whole code made its signature) met both with
// the connections' accepts (reqconn.go: uvicorn's line names the client's
// port, and the server's accept of it bounds the request's life; the 4
// wrong were a web shell's GET logged without a duration after the cause,
// whose connection was accepted after the exec, and the cause's own life
// cut short by the app's handler-only timer or taken for a static file)
// and the path's record codes beside a query value (plan-A04-149.png for
// GET /api/berths/A04/plan.png?w=149): 178/178 right, 0 wrong, and it
// left the table. benign-ledger (first contact b3bc2ff: 75/512 right,
// 21 wrong, 416 ambiguous; 183 right, 329 ambiguous, 35.7% at the tenth
// session: every PDF export's ps2pdf and gs, which carry nothing of the
// request, among five in flight in a log to the second) and benign-desk
// (held out; 46/210 right when scored, 185/210, 88.1% at the tenth
// session: a ticket's thumbnail convert beside its notification mail)
// met both with rule 9 of the eleventh session (reqpartner.go: a run no
// rule decided takes the request of the one other command its server
// process started beside every run of it): 512/512 and 209/210 right,
// 0 wrong, and left the table. benign-reports (held out; first contact
// 667aa66: 335/536 right, 2 wrong, 101 ambiguous, 98 unlinked; 440/536,
// 82.1% at the tenth session) met both in the same session: the CGI
// pairings read a trailing clock's line as ending no earlier than its
// logged second (the lag was counted in the lower bound too, and no
// pairing held), and a child's parameter that leaves two CGI programs
// one and the same request (GET /report.php?month=2026-12 and the
// finance UI's POST mailing that month, its body unlogged) gives them
// back every request naming their script for the log's order and
// durations to weigh (reqcgi.go): 536/536 right, 0 wrong.
// tidegauge-plot (graduated in the eighth session, added in the ninth:
// 319/554 right, 235 unlinked with 2 ms of slack at a request's start;
// 495/554, 59 unlinked, 89.4% with 5 ms) met both in the same session:
// nginx's $msec and $request_time are the worker's cached clock, which
// Lua's io.popen blocks, so /healthz and /chart were logged with the time
// before their command and rt=0.000; the lag is read from the log's own
// commands as for a second's clock (reqclock.go), only past lines that
// timed their request as zero: 32 ms, 542/554 right, 0 wrong, 12
// unlinked (health checks whose df started 38 to 67 ms past the logged
// end). benign-tomcat (held out in its round; 648/721, 89.9% at the
// tenth session) met both in the same session with rule 2b (reqheld.go):
// of two label prints of one SKU in flight, to the route that runs
// stocklabel, the one whose copies the command line holds while the
// other's it lacks: 653/721 right, 0 wrong. nginx-lfi (held out; first
// contact d88e60a: 80/103 right, 0 wrong, 23 ambiguous, recall 77.7%:
// nginx's plain combined format, the probe's shells and the deploy
// hook's git sharing their second with the pages) met both with rule 5g
// of reqlink7 (reqorder.go: a second's script lines are in the order
// php-fpm's workers went back to accept): 103/103, and left the table.
// Four left it in the sixteenth session (req22: rule 5g leaves out of its
// count the GET / the front server answers itself, reqfront.go; counts an
// end near a second's turn as either second's by the line count; is asked
// last and only where the second's known pairs agree; orders an accept in
// the exec's own clock tick by the records' serials, reqtick.go):
// benign-export (first contact 21b095d: 81/167 right, 0 wrong, 86
// ambiguous, 48.5%) 153/167, 91.6%; benign-shop-promo (graduation: 83/168,
// 49.4%, the plain combined log) 152/168, 90.5%; shop-specsheet
// (graduation: 93/104, 89.4%) 100/104, 96.2%; desk-attachname (held out;
// 108/203 right, 1 wrong when scored; 181/203, 89.2% at reqlink7: the
// tickets' thumbnails, whose POST /ticket.php shares its second with
// several script lines) 186/203, 91.6%; all 0 wrong.
var reqLinkFirstContact = map[string]struct {
	wrong  int
	recall float64
	why    string
}{
	// cragboard-prefmerge and benign-cragboard, graduated in the
	// fourteenth session. Their card requests (/route/<id>/card.pdf,
	// rendered by a forked node worker) look static by their extension
	// and were dropped before matching, so the probe's /healthz or a
	// route page beside them was taken (5 and 41 wrong at graduation,
	// 9187740 and 94f99e7); a static-looking request the log says took
	// 100 ms or more is kept as one that may run code (builder.go's
	// madeSlowly). Left: one card worker of the attacker's own card
	// request, whose line its clean-up took out of the log (grep -v
	// python-requests): the link says the log may lack lines.
	// benign-cragboard (687 right, 149 ambiguous, 81.6% with madeSlowly)
	// met both targets later in the fifteenth session (req21: a number with
	// letters glued to it, beside another value of the request, carries
	// the request: convert writing r100-860.png for GET
	// /route/100/photo?w=860): 834/842 right, 0 wrong, 2 ambiguous, 6
	// unlinked, 99.0%, and left the table
	// shop-cartcache, graduated in the seventeenth session, beside
	// shop-giftcard, shop-stockfeed and benign-shop-checkout, whose
	// links were first measured then: 9 wrong between them. 6
	// (giftcard) and 3 (checkout) were the contact form's sendmail given
	// to a gift card's or a checkout's POST seen alone with sendmail once
	// (rule 5's history of one); now a route in flight during each of
	// whose requests the command started, twice at least with the
	// history's route out of flight, makes the run ambiguous
	// (118/127 and 67/73 right, 0 wrong). 2 (cartcache) were the
	// probe's date ranked among php-fpm's ends with a second pool's
	// (shop-api, FastCGI on a TCP port with no web server in front: its
	// requests are in no line of the log); rule 5g counts only the ends
	// of the run's own pool now. cartcache's recall stays low: 3 runs of
	// that pool have no line at all (the intruder's direct FastCGI
	// requests), 28 are the probe's date beside the customers' pages of
	// the same second, as on webshell-classic
	"shop-cartcache":      {wrong: 0, recall: 0.707, why: "graduation (seventeenth session): 77/106 right, 2 wrong (a second pool's worker ends counted), 24 ambiguous, 3 unlinked; 75 right, 0 wrong, 28 ambiguous, 3 unlinked (the intruder's FastCGI requests, in no log), recall 70.8% since rule 5g counts the run's own pool"},
	"cragboard-prefmerge": {wrong: 1, recall: 0.958, why: "graduation (9187740): 942/1043 right, 5 wrong, recall 90.3%; with madeSlowly: 1000 right, 1 wrong (the attacker's card request, taken out of the log), 27 ambiguous, 15 unlinked, recall 95.9%"},
	// cuspid-labelfmt and benign-cuspid, graduated in the fifteenth
	// session. At graduation the attack day's 1163 unlinked execs were
	// put down to the restarted app's workers not being learned as
	// servers; they are learned (by the Tornado command line, server.py)
	// and not the cause. The intruder's clean-up (03:31:38.151) ran grep
	// -v -e python-requests -e shades/a3-5 -e ../ … over the access log
	// and wrote its output back: ../ is a regular expression (any two
	// characters and a slash) that matches every line ("HTTP/1.1"), so
	// the log holds no line before 03:31:38 and 1163 of the 1255 web
	// execs (every one before the clean-up) have no line to be linked to:
	// 92 execs, 7.3%, is all a link can reach. The coverage says the log
	// was filtered. Later in the same session (req21): thumbnails' convert
	// carries its photo request by the case number glued to a letter
	// (c2606-157.png for GET /cases/2606/photo?w=157): benign-cuspid
	// 1189/1189 right (83.9% before) and left the table; cuspid-labelfmt
	// 39 right, 53 ambiguous. Then the route history and the one-to-one
	// pairings (rules 5b, 5d, 5e) count only the runs inside the time the
	// log holds (reqpair.go's logSpan): the runs before its first line had
	// left every command of the app without a route. 91 of the 92 execs
	// after the clean-up are right; the one left, ambiguous, is the
	// probe's df whose /healthz line the grep removed (the cause is not
	// among its candidates, and its link says the log may lack lines)
	"cuspid-labelfmt": {wrong: 0, recall: 0.072, why: "graduation (fifteenth session): 28/1255 right, 0 wrong, 64 ambiguous, 1163 unlinked, recall 2.2% (the 1163: every exec before the intruder's grep -v emptied the access log); req21 (a number glued to a letter carries its request): 39 right, 0 wrong, 53 ambiguous, recall 3.1%; req21 (runs outside the log's time not counted): 91 right, 0 wrong, 1 ambiguous, 1163 unlinked, recall 7.3% (91 of the 92 execs the log can reach)"},
	// plotbook-noticepreview, graduated in the thirteenth session: the
	// attacker's clean-up rewrote nginx's live access log without its own
	// lines, so the patched app's cat of its staging file (three execs)
	// started while one visitor's GET / was the only request left in
	// flight: linked to it, and wrong. A line removed from the log cannot
	// be told from one never written; the link says it is inferred
	"plotbook-noticepreview": {wrong: 3, recall: 0.923, why: "graduation (21f5fe3): 508/550 right, 3 wrong (the attacker's lines taken out of the access log: a visitor's GET / the only request left in flight), 8 ambiguous, 31 unlinked, recall 92.4%"},
	// Tomcat, first contact on 5d7ce7a (WebServers: ["java"]; without it
	// no exec has a web-server parent): 24 right, 72 wrong, 123 ambiguous
	// (the cause among the candidates in all), 0 unlinked, recall 11.0%.
	// The link is decided on the child's first exec, java's jspawnhelper
	// (the same argv for every route), not on the command it execs next
	// in the same pid: the wrong ones are "the only request in flight to
	// GET /stock/export.jsp" and the like. The access log is Tomcat's
	// common format: end time to the second, no user agent or duration.
	"tomcat-manager": {wrong: 72, recall: 0.109, why: "first contact (5d7ce7a): 24/219 right, 72 wrong, 123 ambiguous, recall 11.0%"},
	// shop-search, this round's held-out attack on the shop (the plain
	// combined log; the team KB's Apache beside it): first contact
	// (c1cbabc) and end of tuning alike, 0 wrong
	"shop-search": {wrong: 0, recall: 0.662, why: "held out; first contact (c1cbabc): 99/222 right, 0 wrong, 116 ambiguous, 7 unlinked, recall 44.6%; end of tuning the same; the ninth session (rule 5e): 147/222 right, 0 wrong, 75 ambiguous, recall 66.2%"},
	// lab20's tuning pair on the shop (nginx's plain combined log: the end
	// to the second, no duration), first contact (21b095d): shop-export's
	// reverse shell is the worker's own socket and its request stays open
	// while every line of it runs (a direct child of that worker each);
	// benign-export runs customers, resellers and checkouts in three
	// concurrent streams
	"shop-export": {wrong: 0, recall: 0.832, why: "first contact (21b095d): 9/137 right, 0 wrong, 128 ambiguous (99 with the cause among the candidates), recall 6.6%; the eighth session (rule 5c): 48/137 right, 0 wrong, 89 ambiguous (29 without the cause), recall 35.0%; the ninth: 77/137 right, 0 wrong, 60 ambiguous (all with the cause among the candidates), recall 56.2%; reqlink7 (rule 5g): 81/137 right, 0 wrong, 56 ambiguous, recall 59.1% (4 wrong before the rule left out seconds with a 404: the web shell answers 404 and is served by php-fpm, so the script lines and the workers' ends were counted apart; for the 56 left the rule names nothing: a second with one script line more than php-fpm's ends (a static GET / among them), the worker's accept in the exec's own clock tick, ends near a second's turn or near each other); req22 (the GET / nginx answers itself left out of rule 5g's count, ends near a turn counted by the line count, an accept in the exec's own tick ordered by the serials): 114/137 right, 0 wrong, 23 ambiguous, recall 83.2% (left, by run: the run's own end near a second's turn (4), two ends within 20 ms or a worker's first accept near the second (5), a 404, a big response or a 499 in the second (1), counts that differ (1), a run with its worker's end unknown or one request in flight (1))"},
	// held out in lab-hold5's round, graduated after first contact: the
	// root ops agent's shells run for the requests of its own dashboard
	// and of the KB's link preview (SSRF)
	"kb-preview": {wrong: 0, recall: 0.844, why: "first contact (62c4408): 140/193 right, 0 wrong, 23 ambiguous, 30 unlinked, recall 72.5%; the eighth session (rule 5c): 158/193 right, 0 wrong, 5 ambiguous, 30 unlinked, recall 81.9%; reqlink7 (rules 5b-5d among the requests that carry the command's value): 163/193 right, 0 wrong, 0 ambiguous, 30 unlinked, recall 84.5%"},
	// Graduated in the sixth session of 2026-12-05 and measured at b3bc2ff
	// first (ledger-receipt then had 71 right, 46 wrong: a receipt's
	// invoice=1021 taken for the PDF export's "Invoice 1021", with
	// /invoices/1021/pdf, whose id is in its path, not looked at; it has
	// met both targets since the path's ids count and routes abstract
	// them). netdiag-profile's 4 wrong were one command: an ssh to
	// deploy@127.0.0.1 run through the plugin's header, tied to the
	// monitor's ping (host=127.0.0.1) that was in flight; gunicorn's log
	// is to the second with no duration, hence the ambiguous ones.
	"netdiag-profile": {wrong: 0, recall: 0.257, why: "first contact (b3bc2ff): 13/97 right, 4 wrong, 80 ambiguous; 0 wrong since a route's routine value found in a command of another shape is a coincidence (reqlink.go pass 0a); the eighth session (rule 5c): 25/97 right, 0 wrong, 72 ambiguous, recall 25.8%"},
	// Graduated in the seventh session of 2026-12-05, measured at 8c9cfcd
	// (the figures were the same at b3bc2ff's scan). shipnotes-import:
	// haproxy's log is to the second with no duration and was rewritten
	// by the attacker's clean-up, and puma's Rack log is not an access
	// log the parser reads: every web exec is ambiguous. benign-fieldbook's
	// 44 wrong were the report PDFs (GET /sites/N/report.pdf runs groff |
	// ps2pdf): a .pdf path was taken for a static file, so the photo upload
	// in flight beside it was named instead. uWSGI's request log names the
	// worker that served each request (pid=); read since (byWorker), it
	// makes 218 right, 0 wrong, 2 ambiguous, 8 unlinked (95.6%): it met
	// both targets and left this table (first contact: 50/228 right, 44
	// wrong, 126 ambiguous, 8 unlinked).
	"shipnotes-import": {wrong: 0, recall: 0.699, why: "first contact (8c9cfcd): 113 web execs, all ambiguous (haproxy's log to the second, rewritten by the intruder). reqlink7: haproxy's rt= is its timers' whole milliseconds and its time the request's start (rt=868 had made a request 14 minutes long), the Rack log's line and haproxy's of one request pair one to one, and a lone request rule 8 takes back teaches no route history: 79 right, 0 wrong, 17 ambiguous, 17 unlinked, recall 69.9%. The 34 left are all the intruder's 17 requests, which its clean-up took out of both logs (grep -v python-requests): no line is left to link them to"},
	// added in the ninth session (graduated in the eighth and ninth):
	// hollybox-sync (99.0%) and benign-hollybox (100%) meet both targets;
	// tidegauge-plot met them in the eleventh (see above)
	"scaleyard-archive": {wrong: 0, recall: 0.570, why: "graduated in the ninth session: 30/142 right, 0 wrong, 112 ambiguous (all with the cause among the candidates): Apache's %t is the request's receipt, to the second, no duration. reqlink7: 81 right, 0 wrong, 61 ambiguous (all with the cause among the candidates), recall 57.0%: yardprint --ticket N and its children (51) were ambiguous between /ticket/N and /print?id=N, which both carry N; the route history now chooses among carriers as among any requests in flight (the print route's 17 requests each held a run, the ticket page's 49 mostly none). Left: the probe's df (49), whose /status comes in every visitor round with GET / and /ticket/N in the same second, never apart, in a log of receive seconds (its %{ms}T duration is a bare integer below 1000, unread); and the web shell's report (11)"},
	// graduated in the tenth session and added then: the first look at its
	// links at all (held out, they were never scored)
	"docket-exhibit":      {wrong: 0, recall: 0.763, why: "graduated in the tenth session: 67/173 right, 9 wrong, 75 ambiguous, 22 unlinked (1e0d4fb). Apache's %t + %D in front of mod_wsgi's daemon processes; the attacker's clean-up deleted its lines from the log (grep -v), and 'the only request in flight' then named a visitor's. reqlink5: a case number written with dashes (HV-2026-0152) is a path's record code, so each thumbnail's request carries its convert (rule 2) though its .png path is no time candidate; in a log known to have lost lines an elimination names a request only when the route's history corroborates it (reqedit.go): 132 right, 0 wrong, 20 ambiguous, 21 unlinked. The 21 are the web shell's commands and the planted uploads, whose requests (python-requests) the grep took out of the log: nothing left to link them to"},
	"stillroom-savedview": {wrong: 0, recall: 0.677, why: "graduated in the eleventh session: 399/589 right, 0 wrong, 190 ambiguous (78 with the cause among the candidates): the attacker's clean-up rewrote Jetty's access log without its own lines, so its requests' execs (the widget's shells, the polls of its output file) have no line to be linked to; the 78 others have their cause among the candidates, not told apart (not examined)"},
	"kiln-photourl":       {wrong: 0, recall: 0.025, why: "graduated in the tenth session: 5/195 right, 0 wrong, 190 unlinked: the attacker truncated Caddy's access log (truncate -s 0) during the run, and the log holds only what came after it"},
	// graduated in the twentieth session (held out in the nineteenth):
	// the first look at their links (held out, they were never scored)
	"shop-returns":           {wrong: 0, recall: 0.822, why: "graduated in the twentieth session: 219/305 right, 0 wrong, 86 ambiguous (15 with the cause among the candidates), recall 71.8%. The ops team's Zabbix agent, a server known only by its own listener, took the shop's status probes as its own requests, and rule 6 (one request, one worker) then left the php-fpm workers' links ambiguous; a daemon known only by its listener beside a front server by name is no longer given the front server's requests (detect.ServerSet.ListenerBeside): 251 right, 0 wrong, 54 ambiguous, 82.3%. Left: claim posts and contact mails in the same second of a log to the second with no duration"},
	"benign-shop-courier":    {wrong: 0, recall: 0.771, why: "graduated in the twentieth session: 220/285 right, 0 wrong, 65 ambiguous (all with the cause among the candidates), 0 unlinked, recall 77.2% (not examined yet)"},
	"shop-compare":           {wrong: 0, recall: 0.823, why: "graduated in the twenty-first session: 224/272 right, 0 wrong, 48 ambiguous (all with the cause among the candidates), 0 unlinked, recall 82.4% (not examined yet)"},
	"benign-shop-trophy":     {wrong: 0, recall: 0.775, why: "graduated in the twenty-second session: 190/245 right, 0 wrong, 55 ambiguous (49 with the cause among the candidates), 0 unlinked, recall 77.6% (not examined yet)"},
	"shop-accounts":          {wrong: 0, recall: 0.775, why: "graduated in the twenty-third session: 238/307 right, 0 wrong, 69 ambiguous (24 with the cause among the candidates), 0 unlinked, recall 77.5% (not examined yet)"},
	"benign-shop-needledrop": {wrong: 0, recall: 0.885, why: "graduated in the twenty-third session: 339/385 right, 2 wrong, 44 ambiguous, recall 88.1%. The 2 wrong were the probe's sh -c date and its date, given the product page before it by rule 5g: a scanner's OPTIONS / (405) in that second counted as a script line, though nginx answers GET / itself (the front server's verdict was the method's, now the path's: reqfront.go): 341 right, 0 wrong, 44 ambiguous (all with the cause among the candidates), recall 88.6%"},
	"shop-bulkedit":          {wrong: 0, recall: 0.859, why: "graduated in the twenty-fourth session: 208/242 right, 0 wrong, 34 ambiguous (all with the cause among the candidates), 0 unlinked, recall 85.9%. Examined: the ambiguous runs are the status probe's sh -c date and its date (16 probes); the driver requests /, /products.php and /status.php in the same round every few seconds, each logged to the second with no duration, so every route of the round is in flight at nearly every command and rule 5b's background test cannot single out /status.php; the end order (5g) leaves them where two workers end in one second"},
	"benign-shop-pantry":     {wrong: 0, recall: 0.829, why: "graduated in the twenty-fourth session: 282/340 right, 0 wrong, 58 ambiguous (all with the cause among the candidates), 0 unlinked, recall 82.9%. Examined: the ambiguous runs are the status probe's sh -c date and its date (28 probes), for the same reason as shop-bulkedit's: the visitor round's routes are in flight at nearly every command"},
	"tallyhall-xslt":         {wrong: 0, recall: 0.526, why: "graduated in the tenth session: 0/209 right, 145 wrong, 64 ambiguous on 4a7ccca; 34 right, 95 wrong, 80 ambiguous with reqlink3's accept bounds. Twisted's combined log stamps a line with a per-second clock a timer refreshes (http.HTTPFactory._logDateTime), so a request ends up to a second and more after its logged second; the server is a python3 process, so no name says so. reqlink4: the lag read from the log's own execs (convert carrying its photo line's lot and width up to 0.85 s past the line's second + 1, reqclock.go), and the scorer reading Twisted's second as lighttpd's: 110 right, 0 wrong, 99 ambiguous (all with the cause among the candidates), recall 52.6%; the 66 df -P of /health stay ambiguous: with no duration and a trailing second a request's life is taken as nearly 4 s, longer than a visitor round, so the probe's /health is in flight at nearly every run of every command, and being at each of df's tells nothing (rule 5b's background)"},
}

// TestUploadLinksInsideRequestLife: a request can only have written a file
// while it was served. Over every lab capture, each upload link that names
// a request must name one whose ground-truth life (the driver's client
// span, 50 ms of slack for the two clocks) holds the write. news-deser's
// POST /subscribe.php (client span 18:22:05.689..05.796) was tied to the
// write of cache/jobs.log at 18:22:04.267 as "the only upload request
// within 2s of the write".
func TestUploadLinksInsideRequestLife(t *testing.T) {
	caps, _ := filepath.Glob(filepath.Join("..", "testdata", "lab", "*", "ground-truth.json"))
	for _, g := range caps {
		dir := filepath.Dir(g)
		c := filepath.Base(dir)
		t.Run(c, func(t *testing.T) {
			raw, err := os.ReadFile(g)
			if err != nil {
				t.Fatal(err)
			}
			var gt reqTruth
			if err := json.Unmarshal(raw, &gt); err != nil {
				t.Fatal(err)
			}
			if len(gt.Requests) == 0 {
				t.Skip("no request truth")
			}
			var servers []string
			if c == "node-api" || c == "benign-node" {
				servers = []string{"node"}
			}
			b, _ := labCausality(t, dir, servers)
			cz := b.matchRequests()
			named := 0
			for wr, l := range cz.uploads {
				if l.Request == nil {
					continue
				}
				named++
				url := l.Request.HTTP.Path
				if l.Request.HTTP.Query != "" {
					url += "?" + l.Request.HTTP.Query
				}
				at := float64(wr.Time.UnixMicro()) / 1e6
				fits := false
				for _, q := range gt.Requests {
					fits = fits || q.Method == l.Request.HTTP.Method && q.Path == url && at >= q.Start-0.05 && at <= q.End+0.05
				}
				if !fits {
					t.Errorf("write of %s at %s tied to %s logged %s (%s): no such request was being served then",
						wr.Path, stamp(wr.Time), describeRequest(l.Request), stamp(l.Request.Time), l.Reason)
				}
			}
			t.Logf("%s: %d upload links name a request", c, named)
		})
	}
}
