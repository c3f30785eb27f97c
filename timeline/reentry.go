package timeline

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Re-entry through a planted backdoor (issue 15). A backdoor planted in
// the site — a per-directory configuration that runs a chosen file before
// every script (.user.ini's auto_prepend_file, .htaccess), or code added
// to an existing page — turns ordinary requests into the attacker's: a
// later request to a script under the configuration, or to the changed
// page, runs commands. Such a run is the attacker coming back, and the
// report says so as its own event. It is claimed only on evidence, for
// the request tied to the process (observed or inferred) or, when the
// link is ambiguous, for every one of its candidates (whichever it was):
//   - the process ran in the planted configuration's folder or below (a
//     web server's child runs in its script's folder: served.go), or, for
//     a changed script, anywhere in the site it belongs to (a changed
//     include runs in every page that includes it): the highest folder
//     above it, up to three levels, where the server's children ran;
//   - it started after the plant;
//   - that route never ran that program before the plant: a page that
//     always ran `uptime` running `uptime` again is the site, not a
//     re-entry;
//   - the route was not already the way in: a route whose requests ran
//     high findings before the plant is the entry point in use, not a
//     return through the backdoor.
// The link's reason and the findings of the process say it; the chain's
// summary tells it in a sentence of its own.

// inProcessScript reports whether the server runs a file of this kind
// inside its own process for every request that includes it (a PHP, JSP,
// ASP page or include): a change to it takes over requests. A shell,
// Perl or Python script in the tree runs only when something execs it.
func inProcessScript(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".sh", ".pl", ".py", ".cgi", ".war":
		return false
	}
	return isScript(p)
}

// serverPlantRules are the findings that change a configuration file; a
// change of the web server's or PHP's own (serverConfig) plants for every
// request the server serves after it is loaded.
var serverPlantRules = map[string]bool{"persistence-file-write": true, "web-persistence-file-write": true}

// serverPayloadWindow bounds how far from a change of the server's
// configuration the shell that made it readies what the change points to.
const serverPayloadWindow = time.Minute

// serverConfig reports whether a file is the web server's or PHP's own
// configuration: what the server reads for every request once loaded.
func serverConfig(file string) bool {
	for _, d := range []string{"/etc/nginx/", "/etc/apache2/", "/etc/httpd/", "/etc/lighttpd/", "/etc/php/", "/etc/php-fpm.d/", "/etc/php-fpm.conf", "/usr/local/etc/php/", "/usr/local/etc/php-fpm.d/"} {
		if strings.HasPrefix(file, d) {
			return true
		}
	}
	return false
}

// plantRules are the findings that plant a backdoor in the site's tree.
var plantRules = map[string]bool{"webroot-config-backdoor": true, "webroot-script-modified": true}

// maxPlantsPerName bounds the changed scripts of one file name a URL is
// compared with.
const maxPlantsPerName = 16

// backdoorPlant is one such finding.
type backdoorPlant struct {
	f      *detect.Finding
	file   string
	config bool // a per-directory configuration: its folder is the scope
	// server: the web server's or PHP's own configuration (a conf.d file,
	// a site's server block): every request it serves once loaded is in
	// scope, wherever its script lives
	server bool
	// include: a new script of the site written through the way in and
	// never requested by its own URL: it runs when a page includes it
	include bool
	scope   string // the folder whose requests it can take over
}

// markReentries notes re-entries on the request links of cz (Backdoor,
// BackdoorFinding and the reason) and returns the findings of the
// re-entered processes annotated (copies, as the other passes make).
func (b *Builder) markReentries(all, chainable []*detect.Finding, cz causality) []*detect.Finding {
	if len(cz.execs) == 0 {
		return chainable
	}
	// the first time each route ran each program, and ran a high
	// finding, over every tied exec
	type routeSig struct{ host, route, sig string }
	first := map[routeSig]time.Time{}
	firstHigh := map[hostRoute]time.Time{}
	high := map[*parser.Process]bool{}
	intent := map[*parser.Process]bool{} // roots of high findings that show intent by themselves
	for _, f := range chainable {
		if f.Severity < detect.SeverityHigh {
			continue
		}
		for p, n := procOf(f), 0; p != nil && n < 4096; p, n = p.Parent, n+1 {
			if _, tied := cz.execs[p]; tied {
				high[p] = true
				// a command that shows intent by itself (no staging, no
				// temp name alone); a script write is the plant, not its use
				// (discovery through a route already used counts: this
				// asks whether the route was the way in, not whether
				// the act alone shows intent)
				intent[p] = intent[p] || (!f.NeedsCorroboration || f.Shows == detect.ShowsDiscovery) && f.Event != nil && f.Event.Kind == parser.KindExec
				break
			}
		}
	}
	cwds := map[string]bool{} // folders the server's children ran in
	roots := make([]*parser.Process, 0, len(cz.execs))
	for p, rl := range cz.execs {
		if rl.Event == nil {
			continue
		}
		if rl.Request == nil {
			if len(rl.Candidates) > 0 {
				roots = append(roots, p) // judged over all its candidates
			}
			continue
		}
		roots = append(roots, p)
		cwds[path.Clean(rl.Event.Cwd)] = true
		k := routeSig{rl.Request.Host, routeOf(rl.Request.HTTP), commandSig(rl.Event)}
		if t, ok := first[k]; !ok || rl.Event.Time.Before(t) {
			first[k] = rl.Event.Time
		}
		if hk := (hostRoute{k.host, k.route}); high[p] {
			if t, ok := firstHigh[hk]; !ok || rl.Event.Time.Before(t) {
				firstHigh[hk] = rl.Event.Time
			}
		}
	}
	// the routes of the requests (or candidates) tied to acts that show
	// intent, with the first such act's time
	intentRoutes := map[hostRoute]time.Time{}
	for p := range intent {
		rl := cz.execs[p]
		reqs := rl.requests()
		for _, r := range reqs {
			k := hostRoute{r.Host, routeOf(r.HTTP)}
			if t, ok := intentRoutes[k]; !ok || rl.Event.Time.Before(t) {
				intentRoutes[k] = rl.Event.Time
			}
		}
	}
	requested := b.requestedPaths()
	noted := map[*detect.Finding]*detect.Finding{} // writes whose requests an edit of the log may have removed
	var plants []backdoorPlant
	for _, f := range chainable {
		if f.Event == nil || f.Event.Failed() {
			continue
		}
		file := path.Clean(f.Event.Path)
		switch {
		case plantRules[f.RuleID]:
			if f.Severity < detect.SeverityHigh && !writtenThroughIntent(f, cz, intent, intentRoutes) {
				// a page or template changed by the site itself (a
				// marketing mail template saved from the back office,
				// benign-shop-promo) is no backdoor until something
				// shows it was the intrusion's: judged high, or written
				// by a request or command that showed intent
				continue
			}
			config := f.RuleID == "webroot-config-backdoor"
			if !config && !inProcessScript(file) {
				// a changed shell script of the site runs when something
				// runs it (root's cron: planted-file-run), not for requests
				continue
			}
			plants = append(plants, backdoorPlant{f: f, file: file, config: config})
		case serverPlantRules[f.RuleID] && serverConfig(file):
			if f.Severity < detect.SeverityHigh && !writtenThroughIntent(f, cz, intent, intentRoutes) {
				continue // an administrator's change of the server's settings
			}
			plants = append(plants, backdoorPlant{f: f, file: file, server: true})
		case f.RuleID == "webroot-script-write" && inProcessScript(file) &&
			writtenThroughIntent(f, cz, intent, intentRoutes) && !requested.named(f.Event.Host, file):
			if e, ok := b.editDropsURL(f.Event.Host, file, f.Time); ok {
				// unrequested only in what the edit left: its requests
				// may be the lines taken out, so no include is claimed
				// and the write keeps its stage, said so
				d := *f
				d.Reason += "; its URL is in no line of the access log, but " + e.text() + " after it was written drops lines naming it: its requests may have been removed (inferred)"
				noted[f] = &d
				continue
			}
			plants = append(plants, backdoorPlant{f: f, file: file, include: true})
		}
	}
	if len(plants) == 0 {
		return replaced(all, chainable, noted)
	}
	for i := range plants {
		plants[i].scope = path.Dir(plants[i].file)
		if plants[i].server {
			plants[i].scope = "/"
			continue
		}
		if !plants[i].config {
			// the site the changed script belongs to
			for d, n := path.Dir(plants[i].file), 0; n < 3 && d != "/"; d, n = path.Dir(d), n+1 {
				if cwds[d] {
					plants[i].scope = d
				}
			}
		}
	}
	// Each root is judged against the plants that can concern it, found
	// by its folder and its URL's file name, never against every plant:
	// a CMS update rewriting thousands of scripts must not make this pass
	// quadratic. Per scope the earliest plant is enough (a later one in
	// the same scope adds no request it could take over first). A new
	// include is asked only after the configurations and changed pages:
	// a configuration that prepends a dropped file explains the run, and
	// the file it runs is its payload.
	byScope, includes := map[string]backdoorPlant{}, map[string]backdoorPlant{}
	byBase := map[string][]backdoorPlant{}
	servers := map[string]backdoorPlant{} // by host: the earliest change of the server's configuration
	for _, pl := range plants {
		if pl.server {
			if q, ok := servers[pl.f.Host]; !ok || pl.f.Time.Before(q.f.Time) {
				servers[pl.f.Host] = pl
			}
			continue
		}
		m := byScope
		if pl.include {
			m = includes
		}
		if q, ok := m[pl.scope]; !ok || pl.f.Time.Before(q.f.Time) {
			m[pl.scope] = pl
		}
		if !pl.config && !pl.include {
			for _, k := range routeBases(pl.file) {
				if len(byBase[k]) < maxPlantsPerName {
					byBase[k] = append(byBase[k], pl)
				}
			}
		}
	}
	candidates := func(rl RequestLink) []backdoorPlant {
		var out []backdoorPlant
		if pl, ok := servers[rl.Event.Host]; ok {
			out = append(out, pl)
		}
		if rl.Request != nil {
			out = append(out, byBase[path.Base(path.Clean(rl.Request.HTTP.Path))]...)
		}
		if rl.Event.Cwd != "" {
			for _, m := range []map[string]backdoorPlant{byScope, includes} {
				for d, n := path.Clean(rl.Event.Cwd), 0; n < 64; d, n = path.Dir(d), n+1 {
					if pl, ok := m[d]; ok {
						out = append(out, pl)
					}
					if d == "/" || d == "." {
						break
					}
				}
			}
		}
		return out
	}
	// the way in when the log ties the intruder's commands to no request
	// alone (a log to the second, a busy site): the routes in flight for
	// every command showing intent before the plant, of its host, but for
	// routes the log ties alone to the site's own commands (a health
	// probe in flight all the time). A visitor beside some of them drops
	// out; nothing is left when they went through two routes, or none is
	// known.
	routine := map[hostRoute]bool{}
	for p, rl := range cz.execs {
		if rl.Request != nil && !high[p] {
			routine[hostRoute{rl.Request.Host, routeOf(rl.Request.HTTP)}] = true
		}
	}
	wayIns := map[*detect.Finding]map[hostRoute]bool{}
	wayIn := func(pl backdoorPlant) map[hostRoute]bool {
		if w, ok := wayIns[pl.f]; ok {
			return w
		}
		var w map[hostRoute]bool
		for p := range intent {
			rl := cz.execs[p]
			if rl.Event == nil || !rl.Event.Time.Before(pl.f.Time) || !sameHost(rl.Event.Host, pl.f.Host) {
				continue
			}
			reqs := rl.requests()
			these := map[hostRoute]bool{}
			for _, r := range reqs {
				if k := (hostRoute{r.Host, routeOf(r.HTTP)}); !routine[k] {
					these[k] = true
				}
			}
			if w == nil {
				w = these
				continue
			}
			for k := range w {
				if !these[k] {
					delete(w, k)
				}
			}
		}
		wayIns[pl.f] = w
		return w
	}
	// what the intrusion's own commands left before a plant: the files an
	// act showing intent wrote by its command line (a redirection, a cp,
	// a chmod +x), and the clients of the requests those acts ran for
	// (picked, or every candidate)
	lefts := map[*detect.Finding]leftBy{}
	leftAt := func(pl backdoorPlant) leftBy {
		if l, ok := lefts[pl.f]; ok {
			return l
		}
		if len(lefts) >= maxLeftPlants {
			return leftBy{} // past the bound no firing is claimed: the pass stays linear on a long archive
		}
		l := leftBy{files: map[fileKey]time.Time{}, clients: map[identity]bool{}}
		for p := range intent {
			rl := cz.execs[p]
			if rl.Event == nil || !rl.Event.Time.Before(pl.f.Time) {
				continue
			}
			for _, r := range rl.requests() {
				l.clients[identityOf(r)] = true
			}
			for _, e := range p.Execs {
				for _, out := range outputsOf(e.Args) {
					if k := (fileKey{p.Key.Host, path.Clean(out)}); path.IsAbs(out) && len(l.files) < maxLeftFiles {
						l.files[k] = e.Time
					}
				}
			}
		}
		if pl.server {
			// the payload a changed setting points to is readied by the
			// shell that changed it, around the change (shop-engrave: the
			// sendmail wrapper chmod-ed and timestomped by the root shell
			// that wrote conf.d/99-sendmail.ini), whether or not a request
			// ties that shell
			if w := procOf(pl.f); w != nil {
				for _, c := range append([]*parser.Process{w}, w.Children...) {
					for _, e := range c.Execs {
						if d := e.Time.Sub(pl.f.Time); d < -serverPayloadWindow || d > serverPayloadWindow {
							continue
						}
						for _, out := range outputsOf(e.Args) {
							if k := (fileKey{c.Key.Host, path.Clean(out)}); path.IsAbs(out) && len(l.files) < maxLeftFiles {
								l.files[k] = e.Time
							}
						}
					}
				}
			}
		}
		lefts[pl.f] = l
		return l
	}
	sort.Slice(roots, func(i, j int) bool { return cz.execs[roots[i]].Event.Time.Before(cz.execs[roots[j]].Event.Time) })
	why := map[*parser.Process]string{}
	fired := map[*parser.Process]string{} // re-entries that ran the plant's own payload for a visitor
	used := map[*detect.Finding]bool{}    // include plants a re-entry ran through
	for _, p := range roots {
		rl := cz.execs[p]
		ex := rl.Event
		for _, pl := range candidates(rl) {
			if !ex.Time.After(pl.f.Time) || !sameHost(ex.Host, pl.f.Host) {
				continue
			}
			reqs := rl.requests() // an ambiguous link: the claim must hold for each
			var where string
			switch {
			case pl.server:
				where = fmt.Sprintf("ran after the intrusion changed %s, the server's own configuration, which every request reads once it is loaded", pl.file)
			case !pl.config && rl.Request != nil && servedRoute(pl.file, path.Clean(rl.Request.HTTP.Path)):
				where = "its URL names " + pl.file
			case pl.config && ex.Cwd != "" && underDir(path.Clean(ex.Cwd), pl.scope):
				where = fmt.Sprintf("ran in %s, under %s", ex.Cwd, pl.file)
			case pl.include && ex.Cwd != "" && underDir(path.Clean(ex.Cwd), pl.scope):
				where = fmt.Sprintf("ran in %s, in the site %s to which %s was added and never requested by its own URL (a page includes it)", ex.Cwd, pl.scope, strings.TrimPrefix(pl.file, pl.scope+"/"))
			case !pl.config && ex.Cwd != "" && underDir(path.Clean(ex.Cwd), pl.scope):
				where = fmt.Sprintf("ran in %s, in the site %s whose %s was changed", ex.Cwd, pl.scope, strings.TrimPrefix(pl.file, pl.scope+"/"))
			default:
				continue
			}
			novel := true
			for _, r := range reqs {
				route := routeOf(r.HTTP)
				if t, ok := first[routeSig{r.Host, route, commandSig(ex)}]; ok && t.Before(pl.f.Time) {
					novel = false // the route ran that program before the plant: the site's own
				}
				if t, ok := firstHigh[hostRoute{r.Host, route}]; ok && t.Before(pl.f.Time) {
					novel = false // the way in already: still the entry point, not a return
				}
				if wayIn(pl)[hostRoute{r.Host, route}] {
					novel = false // in flight for every command showing intent before the plant
				}
			}
			if !novel {
				continue
			}
			var text string
			if rl.Request != nil {
				text = fmt.Sprintf("re-entry through the backdoor %s planted at %s: %s ran `%s`, which %s; %s never ran %s before the plant",
					pl.file, when(pl.f.Time), describeRequest(rl.Request), shortCmd(p), where, routeOf(rl.Request.HTTP), shortSig(commandSig(ex)))
			} else {
				text = fmt.Sprintf("re-entry through the backdoor %s planted at %s: one of %d requests in flight ran `%s`, which %s; none of their routes ran %s before the plant or was the way in before it",
					pl.file, when(pl.f.Time), len(reqs), shortCmd(p), where, shortSig(commandSig(ex)))
			}
			if pl.include && !intent[p] {
				// a page that includes a new file running something new is
				// what an update does too: only an act that shows intent
				// by itself (no staging, no temp name) claims the include
				continue
			}
			rl.Backdoor, rl.BackdoorFinding = pl.file, pl.f
			rl.Reason += "; " + text
			cz.execs[p] = rl
			why[p] = text
			if how, ok := firedFor(p, rl, leftAt(pl)); ok {
				fired[p] = how
			} else if how, ok := configuredRun(p, pl, leftAt(pl)); ok {
				fired[p] = how
			}
			if pl.include {
				used[pl.f] = true
			}
			break
		}
	}
	if len(why) == 0 {
		return replaced(all, chainable, noted)
	}
	repl := noted
	for _, f := range chainable {
		for p, n := procOf(f), 0; p != nil && n < 4096; p, n = p.Parent, n+1 {
			if text, ok := why[p]; ok {
				d := *f
				d.Reason += "; " + text
				if how, ok := fired[p]; ok && procOf(f) == p && d.Stage != detect.StagePersistence {
					// the act the firing ran; what it starts keeps the
					// stage its own acts give it
					d.Stage = detect.StagePersistence
					d.Reason += "; " + how
				}
				repl[f] = &d
				break
			}
			if _, tied := cz.execs[p]; tied {
				break // tied to another request: not this re-entry
			}
		}
	}
	for f := range used {
		// a script never requested by its own URL that ran for another
		// page's request is a backdoor the site includes: persistence
		// (T1505.003), not the upload of a web shell
		if f.Stage == detect.StageWebshellUpload && repl[f] == nil {
			d := *f
			d.Stage = detect.StagePersistence
			d.Reason += "; placed as persistence: never requested by its own URL, it ran for another page's request (a backdoor the site includes, T1505.003)"
			repl[f] = &d
		}
	}
	return replaced(all, chainable, repl)
}

// urlIndex indexes the access logs' URL paths by file name, built only
// when a plant candidate asks (once per build: asking every request for
// every script written was writes × requests on a busy site).
type urlIndex struct {
	b  *Builder
	by map[string][]hostPath // base name → (host, URL path), at most maxURLsPerBase
}

func (b *Builder) requestedPaths() *urlIndex { return &urlIndex{b: b} }

// leftBy is what the intrusion's acts showing intent left before a plant:
// the files their commands wrote and the clients they ran for.
type leftBy struct {
	files   map[fileKey]time.Time
	clients map[identity]bool
}

// maxLeftFiles bounds the files the intrusion's commands left that one
// plant's re-entries are compared with; maxLeftPlants the plants whose
// re-entries are asked whether they fired (each asks every act showing
// intent once).
const (
	maxLeftFiles  = 4096
	maxLeftPlants = 64
)

// firedFor reports whether a re-entry through a backdoor is the backdoor
// firing for a visitor rather than the intruder using it: its request
// came from a client none of the intrusion's acts before the plant came
// from, and its command runs or names a file those acts left (the
// watchdog script a planted page include starts on every view). Either
// alone is not enough: the intruder may come back with another user agent
// (apache-eval's attacker, back through the changed footer with a
// browser's), and may run a tool they left through the backdoor.
func firedFor(p *parser.Process, rl RequestLink, left leftBy) (string, bool) {
	if rl.Request == nil || len(p.Execs) == 0 {
		return "", false
	}
	id := identityOf(rl.Request)
	if id.client == "" || id.agent == "" || left.clients[id] {
		return "", false
	}
	if file, at, ok := runsLeftFile(p, left); ok {
		return fmt.Sprintf("placed as persistence firing: it runs %s, which the intrusion's own command left at %s, for %s from %s %q, a client none of the intrusion's acts before the plant came from: the planted code ran for a visitor's request (inferred from the access log)",
			file, when(at), describeRequest(rl.Request), id.client, id.agent), true
	}
	return "", false
}

// runsLeftFile returns the file among those the intrusion left that p's
// first exec runs or names, left before it ran.
func runsLeftFile(p *parser.Process, left leftBy) (string, time.Time, bool) {
	e := p.Execs[0]
	for _, u := range append(pathsIn(e.Args, e.Cwd), e.Exe) {
		k := fileKey{p.Key.Host, path.Clean(u)}
		if at, ok := left.files[k]; ok && at.Before(e.Time) {
			return k.path, at, true
		}
	}
	return "", time.Time{}, false
}

// configuredRun reports whether a re-entry through a change of the
// server's own configuration runs the program the shell that changed it
// readied around the change (made runnable, copied into place): the
// server ran it because its configuration now says so, for whichever
// client sent the request, so it is the plant firing, not a command the
// request chose (shop-engrave: PHP's sendmail_path pointed at a wrapper
// the same root shell chmod-ed; the next contact form's mail() ran it).
// A command a request carries through such a change (a header's code a
// prepended file runs) names no such program and keeps its own stage.
func configuredRun(p *parser.Process, pl backdoorPlant, left leftBy) (string, bool) {
	if !pl.server || len(p.Execs) == 0 {
		return "", false
	}
	if file, at, ok := runsLeftFile(p, left); ok {
		return fmt.Sprintf("placed as persistence firing: it runs %s, which the shell that changed %s readied at %s: the server ran the planted program because its configuration now says so, whoever sent the request (inferred from the order of the acts and the program's name)",
			file, pl.file, when(at)), true
	}
	return "", false
}

// editDropsURL returns an edit of an access log of host, made after at,
// that drops a request line naming file by a URL it may be served at (the
// file's path less one leading folder or more), or whose expressions do
// not say what they drop. shop-accounts: the intruder's sed -i
// '/thumb-cache\.php/d' took the web shell's requests out of nginx's log,
// and the shell, requested by no line left, was said to be an include a
// page ran: persistence, not the upload it was.
func (b *Builder) editDropsURL(host, file string, at time.Time) (logEdit, bool) {
	for i := range b.logEdits {
		e := &b.logEdits[i]
		if !sameHost(e.host, host) || !at.Before(e.at) {
			continue
		}
		if _, ok := b.spares(e); ok {
			continue // the log read still holds lines it dropped: a copy it never touched
		}
		if e.drops == nil {
			return *e, true
		}
		// the file's path, then less its first folder, and so on
		for u, n := file, 0; n < 8 && len(u) > 1; n++ {
			if e.drops(`127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET ` + u + ` HTTP/1.1" 200 0 "-" "-"`) {
				return *e, true
			}
			i := strings.IndexByte(u[1:], '/')
			if i < 0 {
				break
			}
			u = u[i+1:]
		}
	}
	return logEdit{}, false
}

// named reports whether a request of the access logs named the file by its
// own URL (any document root).
func (x *urlIndex) named(host, file string) bool {
	if x.by == nil {
		x.by = map[string][]hostPath{}
		for _, r := range x.b.requests {
			if r.HTTP == nil {
				continue
			}
			u := path.Clean("/" + strings.TrimPrefix(r.HTTP.Path, "/"))
			k, hp := path.Base(u), hostPath{r.Host, u}
			if l := x.by[k]; len(l) < maxURLsPerBase && !slices.Contains(l, hp) {
				x.by[k] = append(l, hp)
			}
		}
	}
	for _, b := range routeBases(file) {
		l := x.by[b]
		if len(l) >= maxURLsPerBase {
			return true // more URLs of that name than kept: taken as requested
		}
		for _, hp := range l {
			if sameHost(hp.host, host) && servedRoute(file, hp.path) {
				return true
			}
		}
	}
	return false
}

// writtenThroughIntent reports whether f's file was written through the
// intruder's way in: by a process below a request's root whose commands
// show intent, or by the server for a request (or one of the candidates)
// to a route tied before the write to such commands.
func writtenThroughIntent(f *detect.Finding, cz causality, intent map[*parser.Process]bool, routes map[hostRoute]time.Time) bool {
	for p, n := procOf(f), 0; p != nil && n < 4096; p, n = p.Parent, n+1 {
		if intent[p] {
			return true
		}
	}
	l, ok := cz.uploads[f.Event]
	if !ok {
		return false
	}
	reqs := l.requests()
	for _, r := range reqs {
		if t, ok := routes[hostRoute{r.Host, routeOf(r.HTTP)}]; ok && t.Before(f.Time) {
			return true
		}
	}
	return false
}

// hostRoute is a route (method and path) on a host.
type hostRoute struct{ host, route string }

// underDir reports whether p is dir or below it.
func underDir(p, dir string) bool {
	return p == dir || len(p) > len(dir) && p[:len(dir)] == dir && (dir == "/" || p[len(dir)] == '/')
}
