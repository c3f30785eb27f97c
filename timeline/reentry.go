package timeline

import (
	"fmt"
	"path"
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

// plantRules are the findings that plant a backdoor in the site's tree.
var plantRules = map[string]bool{"webroot-config-backdoor": true, "webroot-script-modified": true}

// maxPlantsPerName bounds the changed scripts of one file name a URL is
// compared with.
const maxPlantsPerName = 16

// backdoorPlant is one such finding.
type backdoorPlant struct {
	f      *detect.Finding
	file   string
	config bool   // a per-directory configuration: its folder is the scope
	scope  string // the folder whose requests it can take over
}

// markReentries notes re-entries on the request links of cz (Backdoor,
// BackdoorFinding and the reason) and returns the findings of the
// re-entered processes annotated (copies, as the other passes make).
func (b *Builder) markReentries(all, chainable []*detect.Finding, cz causality) []*detect.Finding {
	var plants []backdoorPlant
	for _, f := range chainable {
		if f.Event == nil || f.Event.Failed() || !plantRules[f.RuleID] {
			continue
		}
		file := path.Clean(f.Event.Path)
		config := f.RuleID == "webroot-config-backdoor"
		if !config && !inProcessScript(file) {
			// a changed shell script of the site runs when something
			// runs it (root's cron: planted-file-run), not for requests
			continue
		}
		plants = append(plants, backdoorPlant{f: f, file: file, config: config})
	}
	if len(plants) == 0 || len(cz.execs) == 0 {
		return chainable
	}
	// the first time each route ran each program, and ran a high
	// finding, over every tied exec
	type routeSig struct{ host, route, sig string }
	type hostRoute struct{ host, route string }
	first := map[routeSig]time.Time{}
	firstHigh := map[hostRoute]time.Time{}
	high := map[*parser.Process]bool{}
	for _, f := range chainable {
		if f.Severity < detect.SeverityHigh {
			continue
		}
		for p, n := procOf(f), 0; p != nil && n < 4096; p, n = p.Parent, n+1 {
			if _, tied := cz.execs[p]; tied {
				high[p] = true
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
	for i := range plants {
		plants[i].scope = path.Dir(plants[i].file)
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
	// the same scope adds no request it could take over first).
	byScope := map[string]backdoorPlant{}
	byBase := map[string][]backdoorPlant{}
	for _, pl := range plants {
		if q, ok := byScope[pl.scope]; !ok || pl.f.Time.Before(q.f.Time) {
			byScope[pl.scope] = pl
		}
		if !pl.config {
			if k := path.Base(pl.file); len(byBase[k]) < maxPlantsPerName {
				byBase[k] = append(byBase[k], pl)
			}
		}
	}
	candidates := func(rl RequestLink) []backdoorPlant {
		var out []backdoorPlant
		if rl.Request != nil {
			out = append(out, byBase[path.Base(path.Clean(rl.Request.HTTP.Path))]...)
		}
		if rl.Event.Cwd != "" {
			for d, n := path.Clean(rl.Event.Cwd), 0; n < 64; d, n = path.Dir(d), n+1 {
				if pl, ok := byScope[d]; ok {
					out = append(out, pl)
				}
				if d == "/" || d == "." {
					break
				}
			}
		}
		return out
	}
	sort.Slice(roots, func(i, j int) bool { return cz.execs[roots[i]].Event.Time.Before(cz.execs[roots[j]].Event.Time) })
	why := map[*parser.Process]string{}
	for _, p := range roots {
		rl := cz.execs[p]
		ex := rl.Event
		for _, pl := range candidates(rl) {
			if !ex.Time.After(pl.f.Time) || !sameHost(ex.Host, pl.f.Host) {
				continue
			}
			reqs := rl.Candidates // an ambiguous link: the claim must hold for each
			if rl.Request != nil {
				reqs = []*parser.Event{rl.Request}
			}
			var where string
			switch {
			case !pl.config && rl.Request != nil && servedAs(pl.file, path.Clean(rl.Request.HTTP.Path)):
				where = "its URL names " + pl.file
			case pl.config && ex.Cwd != "" && underDir(path.Clean(ex.Cwd), pl.scope):
				where = fmt.Sprintf("ran in %s, under %s", ex.Cwd, pl.file)
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
			rl.Backdoor, rl.BackdoorFinding = pl.file, pl.f
			rl.Reason += "; " + text
			cz.execs[p] = rl
			why[p] = text
			break
		}
	}
	if len(why) == 0 {
		return chainable
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		for p, n := procOf(f), 0; p != nil && n < 4096; p, n = p.Parent, n+1 {
			if text, ok := why[p]; ok {
				d := *f
				d.Reason += "; " + text
				repl[f] = &d
				break
			}
			if _, tied := cz.execs[p]; tied {
				break // tied to another request: not this re-entry
			}
		}
	}
	return replaced(all, chainable, repl)
}

// underDir reports whether p is dir or below it.
func underDir(p, dir string) bool {
	return p == dir || len(p) > len(dir) && p[:len(dir)] == dir && (dir == "/" || p[len(dir)] == '/')
}
