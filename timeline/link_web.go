package timeline

import (
	"fmt"
	"path"
	"sort"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// strong reports whether a request link may tie things together: a
// low-confidence match (one of several requests in the window) may not.
func strong(rl RequestLink) bool {
	return rl.Confidence == ConfidenceHigh || rl.Confidence == ConfidenceMedium
}

// linkScripts (rule b, with the access log): web-shell roots that ran for
// requests to the same script are one entry point. A script that spawns
// shells for its requests is either the application doing so for everyone
// (status.php → sh -c date: a benign chain of its own) or a web shell; the
// two are never joined, as their URLs differ.
func (l *linker) linkScripts() {
	noted := map[scriptKey]bool{}
	for _, r := range l.roots {
		rl, ok := l.cz.execs[r]
		if !ok || rl.Request == nil {
			continue
		}
		if strong(rl) {
			l.union(procKey{r}, scriptOf(r.Key.Host, rl.Request), rl.Request.Time,
				fmt.Sprintf("request: %s at %s → %s pid %d → %s (%s confidence: %s)",
					describeRequest(rl.Request), when(rl.Request.Time), r.Parent.Name(), r.Parent.Key.PID,
					shortCmd(r), rl.Confidence, rl.Reason))
		}
		// One client (address and user agent) whose requests ran high
		// findings through several scripts is one intruder: the injection
		// point, then the backdoor it planted. Only high findings join so:
		// a visitor whose requests run the application's own commands is
		// not made one chain across the site. A link of low confidence
		// (one request picked by php-fpm's order of ends, rule 5g) joins
		// too: the pick is one request, whose client is then known, and
		// the note says how sure the pick was (shop-bulkedit: the bulk
		// endpoint's first `sh -c id` and the web shell it wrote next came
		// from one browser).
		if s, ok := l.anchorSev[r]; ok && s >= detect.SeverityHigh {
			id, sk := identityOf(rl.Request), scriptOf(r.Key.Host, rl.Request)
			note := "" // said once per script the client used: that is what joins
			if !noted[sk] {
				noted[sk] = true
				note = fmt.Sprintf("http client: %s %q sent %s at %s, which ran %s", id.client, id.agent,
					describeRequest(rl.Request), when(rl.Request.Time), shortCmd(r))
				if !strong(rl) {
					note += " (inferred: " + rl.Confidence + " confidence that this request ran it: " + rl.Reason + ")"
				}
			}
			l.union(procKey{r}, clientKey{r.Key.Host, id.client, id.agent}, rl.Request.Time, note)
		}
		// a request that came in through an ssh reverse tunnel is the
		// tunnel's traffic: its root joins the tunnel's ssh (reqtunnel.go)
		if a := l.anchor(rl.Tunnel); a != nil {
			l.union(procKey{r}, procKey{a}, rl.Request.Time, "tunnel: "+describeRequest(rl.Request)+" → "+shortCmd(r)+": "+rl.TunnelReason)
		}
	}
}

// linkReentries: a process that ran for a request that came back through
// a planted backdoor (reentry.go) belongs with the plant: the backdoor's
// finding and the re-entered process are one chain, by the evidence the
// re-entry was claimed on (its reason says which).
func (l *linker) linkReentries() {
	for _, r := range l.roots {
		rl, ok := l.cz.execs[r]
		if !ok || rl.Backdoor == "" || rl.BackdoorFinding == nil {
			continue
		}
		if is := l.findingsOf(rl.BackdoorFinding.Event); len(is) > 0 {
			l.union(procKey{r}, findingKey(is[0]), rl.Event.Time, "backdoor (inferred: its request's reason says why): "+shortCmd(r)+" ran for a request that came back through "+rl.Backdoor)
		}
	}
}

// linkSoleEntry: an ambiguous link names no request, but when every
// candidate went to the same script from the same client (three POSTs to
// api/calc.php by one client, in flight at once), whichever it was, the
// process or the file a web server wrote came in through that entry
// point: joined to it, with the candidates' count said. The same holds
// for an act of the server's own process (code injected into the worker
// reading /etc/shadow or sweeping ports): the requests in flight at that
// moment are its candidates.
func (l *linker) linkSoleEntry() {
	join := func(node any, cands []*parser.Event, host string, at time.Time, what string) {
		if len(cands) == 0 {
			return
		}
		sk := scriptOf(host, cands[0])
		for _, c := range cands[1:] {
			if scriptOf(host, c) != sk {
				return
			}
		}
		n := "the one request in flight,"
		if len(cands) > 1 {
			n = fmt.Sprintf("one of %d requests in flight, all", len(cands))
		}
		l.union(node, sk, at, fmt.Sprintf("entry point: %s came from %s %s %s from %s %q",
			what, n, cands[0].HTTP.Method, sk.path, sk.client, sk.agent))
	}
	for _, r := range l.roots {
		rl, ok := l.cz.execs[r]
		if !ok || rl.Request != nil && strong(rl) || len(rl.Candidates) < 2 {
			continue
		}
		if s, ok := l.anchorSev[r]; ok && s >= detect.SeverityMedium {
			join(procKey{r}, rl.Candidates, r.Key.Host, rl.Event.Time, shortCmd(r))
		}
	}
	for i, f := range l.findings {
		if p := procOf(f); p == nil || !l.o.isWebServer(p) || f.Event == nil {
			continue
		}
		if up, ok := l.uploadOf(f); ok {
			if up.Request == nil {
				join(findingKey(i), up.Candidates, f.Host, f.Time, "the write of "+f.Event.Path)
			}
			continue
		}
		// the server's own act (a connect, a read): code running in the
		// worker for a request in flight
		// (the link names the worker: the report ties the act to it by pid)
		if f.Severity >= detect.SeverityMedium {
			join(findingKey(i), l.inFlight(f.Host, f.Time), f.Host, f.Time, "the server's own "+f.Event.Kind.String()+" by "+label(procOf(f)))
		}
	}
}

// ownActBack bounds how long before a server's own act a request may have
// been received and still be in flight for it; maxOwnActScan bounds the
// requests looked at around one act.
const (
	ownActBack    = 2 * time.Minute
	maxOwnActScan = 512
)

// inFlight returns the requests that may run code (mayRunCode) being
// served at t on host, as their logs' reading of time says.
func (l *linker) inFlight(host string, t time.Time) []*parser.Event {
	reqs := l.requestsByTime()
	back := time.Second + ownActBack
	lo := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(t.Add(-back)) })
	var out []*parser.Event
	for i := lo; i < len(reqs) && !reqs[i].Time.After(t.Add(back)); i++ {
		if i-lo >= maxOwnActScan {
			return nil // too busy a moment to name one entry point; bounded, so the pass stays linear
		}
		r := reqs[i]
		if sameHost(r.Host, host) && r.HTTP.Status != 404 && !isStaticPath(r.HTTP.Path) && live(l.b.spanOf(r), t) {
			out = append(out, r)
		}
	}
	return out
}

// linkRootGap (rule b, without request evidence): web-shell roots of the
// same web server (master process), account and working directory, each
// with a finding of medium severity or more, are one intrusion when they
// follow each other within Gap. The web-service account has no audit
// session (auid is unset under a web server), so this is the closest the
// audit log alone comes to "the same attacker"; the working directory is
// the directory of the script that ran (php-fpm chdirs there), which keeps
// a health check in the document root apart from a web shell in uploads/.
// Roots that a request explains are left to linkScripts.
func (l *linker) linkRootGap() {
	if l.evidenceOnly {
		return
	}
	type groupKey struct {
		host   string
		master *parser.Process
		uid    uint32
		cwd    string
		// highOnly: the server runs every child in one directory, so
		// only roots with a high act join (cwd is then that directory)
		highOnly bool
	}
	// The working directory tells scripts apart only on a server that
	// runs each script's children in the script's folder (php-fpm, CGI).
	// An application server (a JVM, node, a Python app) starts every child
	// in its own working directory: there one shared cwd says nothing of
	// which code ran, and joining by it alone would take the app's own
	// shell-outs (a mail sent for a form) into an intrusion.
	type serverKey struct {
		host   string
		master *parser.Process
	}
	cwds := map[serverKey]map[string]bool{}
	for _, r := range l.roots {
		k := serverKey{r.Key.Host, l.master(r)}
		if cwds[k] == nil {
			cwds[k] = map[string]bool{}
		}
		if len(cwds[k]) < 2 {
			cwds[k][rootCwd(r)] = true
		}
	}
	groups := map[groupKey][]*parser.Process{}
	var order []groupKey
	for _, r := range l.roots {
		oneCwd := len(cwds[serverKey{r.Key.Host, l.master(r)}]) < 2
		if rl, ok := l.cz.execs[r]; ok && (strong(rl) || rl.Backdoor != "") {
			continue // tied by evidence: a request, or the backdoor it came through
		}
		s, ok := l.anchorSev[r]
		if !ok || s < detect.SeverityMedium {
			continue
		}
		k := groupKey{host: r.Key.Host, master: l.master(r), uid: r.UID.N, cwd: rootCwd(r)}
		if oneCwd {
			// one cwd for every child of this server: the cwd is no
			// evidence, and the app's own shell-outs share it. What is
			// left is the rules' own judgment: two roots that did
			// something high, as the same account of the same server
			// within the gap, are one intruder's (inferred, said so)
			if s < detect.SeverityHigh {
				continue
			}
			k.highOnly = true
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		rs := groups[k]
		for i := 1; i < len(rs); i++ {
			a, b := rs[i-1], rs[i]
			if l.routesApart(a, b) {
				continue // a request does tell them apart
			}
			d := b.FirstSeen.Sub(a.FirstSeen)
			switch {
			case d > l.o.Gap:
			case k.highOnly:
				l.union(procKey{a}, procKey{b}, b.FirstSeen, fmt.Sprintf(
					"web account (inferred): %s and %s were both spawned by %s pid %d as uid %d and both did acts the rules judge high, %s apart (bounded gap %s; the server runs every child in one working directory and no request tells them apart)",
					label(a), label(b), k.master.Name(), k.master.Key.PID, k.uid, roundDur(d), l.o.Gap))
			default:
				l.union(procKey{a}, procKey{b}, b.FirstSeen, fmt.Sprintf(
					"web account: %s and %s were both spawned by %s pid %d's workers as uid %d in %s, %s apart (bounded gap %s; no request tells them apart)",
					label(a), label(b), k.master.Name(), k.master.Key.PID, k.uid, k.cwd, roundDur(d), l.o.Gap))
			}
		}
	}
}

// routesApart reports whether the access log tells two roots apart: each
// has a request link, picked or ambiguous, and no route (method and path)
// is a candidate of both, or no client (address and user agent) is. A
// folder of admin pages runs every page's children in one cwd; the
// requests in flight say which page ran which, and two pages are two
// entry points, not one web shell used twice. Two visitors are two
// people: shop-accounts' manager uploading photos (Safari) had her
// converter runs joined to the attacker's injection through the same
// back-office folder (Firefox) by this rule alone, though no request of
// one could have been the other's.
func (l *linker) routesApart(a, b *parser.Process) bool {
	ra, oka := l.cz.execs[a]
	rb, okb := l.cz.execs[b]
	if !oka || !okb {
		return false
	}
	return disjoint(ra, rb, func(r *parser.Event) (string, bool) { return routeOf(r.HTTP), true }) ||
		disjoint(ra, rb, func(r *parser.Event) (string, bool) {
			id := identityOf(r)
			return id.client + "\x00" + id.agent, id.client != "" && id.agent != ""
		})
}

// disjoint reports whether no key of a request of a's link (the request
// picked and the candidates) is a key of one of b's, each link having one
// at least; a request without a key (ok false) makes them not disjoint,
// for it may be anyone's.
func disjoint(a, b RequestLink, key func(*parser.Event) (string, bool)) bool {
	keys := func(rl RequestLink) (map[string]bool, bool) {
		out := map[string]bool{}
		for _, r := range append([]*parser.Event{rl.Request}, rl.Candidates...) {
			if r == nil || r.HTTP == nil {
				continue
			}
			k, ok := key(r)
			if !ok {
				return nil, false
			}
			out[k] = true
		}
		return out, len(out) > 0
	}
	ka, oka := keys(a)
	kb, okb := keys(b)
	if !oka || !okb {
		return false
	}
	for k := range ka {
		if kb[k] {
			return false
		}
	}
	return true
}

// rootCwd is the working directory a root was started in.
func rootCwd(p *parser.Process) string {
	if len(p.Execs) > 0 && p.Execs[0].Cwd != "" {
		return p.Execs[0].Cwd
	}
	return p.Cwd
}

func shortCmd(p *parser.Process) string {
	s := p.CommandLine()
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// webFile is a file a web server stored for a client, or a script that
// appeared in a web root: the first write of it seen.
type webFile struct {
	key    fileKey
	write  *parser.Event
	writer *parser.Process
}

// webFiles returns the uploaded and dropped web files in write order. A
// file the server wrote for requests of two clients or more (each known
// by address and user agent) is the application's shared data — a
// reviews or orders file every visitor appends to — and ties none of them
// to another: it is left out.
func (l *linker) webFiles() []webFile {
	var out []webFile
	seen := map[fileKey]bool{}
	clients := map[fileKey]map[identity]bool{}
	for _, w := range l.b.fileOps {
		rl, ok := l.cz.uploads[w]
		if !ok || rl.Request == nil {
			continue
		}
		if id := identityOf(rl.Request); id.agent != "" {
			k := fileKey{w.Host, path.Clean(w.Path)}
			if clients[k] == nil {
				clients[k] = map[identity]bool{}
			}
			if len(clients[k]) < 2 {
				clients[k][id] = true
			}
		}
	}
	landed := map[*parser.Event]bool{}
	for _, f := range l.findings {
		if f.Stage == detect.StageWebshellUpload && f.Event != nil {
			landed[f.Event] = true
		}
	}
	for _, w := range l.b.fileOps {
		if w.Kind == parser.KindUnlink || w.Kind == parser.KindChmod || w.Proc == nil {
			continue
		}
		if len(clients[fileKey{w.Host, path.Clean(w.Path)}]) >= 2 {
			continue
		}
		byServer := l.o.isWebServer(w.Proc) && l.b.uploadTarget(w.Path)
		// a served folder is known by name (WebRoots), or the rules
		// learned it (detect's served directories): a write they placed
		// as a web shell's landing is in one, wherever the site lives
		dropped := !l.o.isWebServer(w.Proc) && (l.o.inWebRoot(w.Path) || landed[w]) && isScript(w.Path)
		if !byServer && !dropped {
			continue
		}
		k := fileKey{w.Host, path.Clean(w.Path)}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, webFile{key: k, write: w, writer: w.Proc})
	}
	return out
}

// linkWebFiles (rule c): a file a web server wrote for a client, or a
// script dropped into a web root, ties together whoever wrote it, the
// requests that later fetched it (a web shell served), the shells started
// in its directory, and the processes that later changed or deleted it.
func (l *linker) linkWebFiles() {
	files := l.webFiles()
	byKey := map[fileKey]webFile{}
	for _, wf := range files {
		byKey[wf.key] = wf
	}
	// findings on the write itself (or on the chmod right after it)
	for i, f := range l.findings {
		if f.Event == nil || f.Event.Path == "" {
			continue
		}
		k := fileKey{f.Event.Host, path.Clean(f.Event.Path)}
		if wf, ok := byKey[k]; ok && !f.Time.Before(wf.write.Time) {
			if p := procOf(f); p != nil && p != wf.writer && !l.o.isWebServer(p) && l.victimData(k.path, wf.writer, wf.write) {
				continue // another's act on the site's data (its removal)
			}
			l.union(findingKey(i), k, f.Time, fmt.Sprintf("file: %s written by %s at %s", k.path, label(wf.writer), when(wf.write.Time)))
		}
	}
	for _, wf := range files {
		if a := l.anchor(wf.writer); a != nil {
			l.union(procKey{a}, wf.key, wf.write.Time, fmt.Sprintf("file: %s written by %s at %s", wf.key.path, label(wf.writer), when(wf.write.Time)))
		}
		// served: a root ran for a request to the file's URL
		var served []RequestLink
		spawned := "shells" // what the requests spawned: shells only, or programs (Runtime.exec runs id without one)
		for _, r := range l.roots {
			rl, ok := l.cz.execs[r]
			if !ok || !strong(rl) || !sameHost(r.Key.Host, wf.key.host) || rl.Request.Time.Before(wf.write.Time.Truncate(time.Second)) {
				continue
			}
			if servedRoute(wf.key.path, rl.Request.HTTP.Path) {
				served = append(served, rl)
				if !isShellProc(r) {
					spawned = "processes"
				}
				l.union(wf.key, scriptOf(r.Key.Host, rl.Request), rl.Request.Time, "")
			}
		}
		if len(served) > 0 {
			first, last := served[0].Request, served[0].Request
			for _, rl := range served {
				if rl.Request.Time.Before(first.Time) {
					first = rl.Request
				}
				if rl.Request.Time.After(last.Time) {
					last = rl.Request
				}
			}
			l.union(wf.key, scriptOf(first.Host, first), first.Time, fmt.Sprintf(
				"file: %s written by %s at %s, then served as %s for %d request(s) that spawned %s, %s to %s",
				wf.key.path, label(wf.writer), when(wf.write.Time), first.HTTP.Path, len(served), spawned, when(first.Time), when(last.Time)))
		}
		// executed in place: without a request, a root started in the
		// script's directory soon after it was written (php-fpm runs a
		// script in its own directory)
		if isScript(wf.key.path) {
			dir := path.Dir(wf.key.path)
			for _, r := range l.roots {
				if rl, ok := l.cz.execs[r]; ok && strong(rl) {
					continue
				}
				if s, ok := l.anchorSev[r]; !ok || s < detect.SeverityMedium {
					continue
				}
				d := r.FirstSeen.Sub(wf.write.Time)
				if r.Key.Host != wf.key.host || rootCwd(r) != dir || d < 0 || d > l.o.Gap {
					continue
				}
				l.union(procKey{r}, wf.key, r.FirstSeen, fmt.Sprintf(
					"file: %s ran in %s, where %s had been written %s before (no request matched it)",
					label(r), dir, path.Base(wf.key.path), roundDur(d)))
			}
		}
	}
	l.linkAmbiguousToWritten(files)
	// changed or deleted later by someone else
	for _, op := range l.b.fileOps {
		k := fileKey{op.Host, path.Clean(op.Path)}
		wf, ok := byKey[k]
		if !ok || op == wf.write || op.Proc == wf.writer || op.Time.Before(wf.write.Time) {
			continue
		}
		if !l.o.isWebServer(op.Proc) && l.victimData(k.path, wf.writer, wf.write) {
			continue // someone else removing or changing the site's data
		}
		if a := l.anchor(op.Proc); a != nil {
			l.union(procKey{a}, k, op.Time, fmt.Sprintf("file: %s (written by %s at %s) %s by %s at %s",
				k.path, label(wf.writer), when(wf.write.Time), verb(op.Kind), label(op.Proc), when(op.Time)))
		}
	}
}

// linkAmbiguousToWritten: a root whose request is ambiguous, whose own
// act is high, and of whose candidates exactly one fetched a script
// written during the log (and after it was written) joins that script's
// writer, inferred and said so: of the requests in flight, the one to a
// script the intrusion wrote is the likeliest cause of a high command.
// An application server that runs every child in its own directory gives
// no folder to match (linkWebFiles' "executed in place"), and a log to
// the second leaves several requests in flight: the web shell a JVM was
// given still ties its commands to whoever planted it.
func (l *linker) linkAmbiguousToWritten(files []webFile) {
	// scripts by base name: a candidate's URL is compared with the
	// scripts of its own name only
	scripts := map[string][]webFile{}
	for _, wf := range files {
		if isScript(wf.key.path) {
			for _, b := range routeBases(wf.key.path) {
				scripts[b] = append(scripts[b], wf)
			}
		}
	}
	if len(scripts) == 0 {
		return
	}
	for _, r := range l.roots {
		rl, ok := l.cz.execs[r]
		if !ok || rl.Basis != BasisAmbiguous && strong(rl) || len(rl.Candidates) < 2 {
			continue
		}
		if s, ok := l.anchorSev[r]; !ok || s < detect.SeverityHigh {
			continue
		}
		var hit *webFile
		var req *parser.Event
		n := 0
		for _, c := range rl.Candidates {
			named := scripts[path.Base(c.HTTP.Path)]
			for i := range named {
				wf := &named[i]
				if sameHost(c.Host, wf.key.host) && !c.Time.Before(wf.write.Time.Truncate(time.Second)) && servedRoute(wf.key.path, c.HTTP.Path) {
					if hit != wf {
						n++
					}
					hit, req = wf, c
				}
			}
		}
		if n != 1 {
			continue
		}
		l.union(procKey{r}, hit.key, r.FirstSeen, fmt.Sprintf(
			"file (inferred): %s started while %d requests were in flight; one of them, %s %s, fetched %s, which %s wrote at %s, and the command is high: the likeliest cause, not an observed one",
			label(r), len(rl.Candidates), req.HTTP.Method, req.HTTP.Path, hit.key.path, label(hit.writer), when(hit.write.Time)))
	}
}

func verb(k parser.Kind) string {
	switch k {
	case parser.KindUnlink:
		return "deleted"
	case parser.KindRename:
		return "renamed"
	case parser.KindChmod:
		return "chmod-ed"
	}
	return "rewritten"
}

// uploadOf returns the upload request behind a finding on a web server's
// file write: the write itself, or a write of the same file by the same
// worker moments before (the chmod after the rename).
func (l *linker) uploadOf(f *detect.Finding) (RequestLink, bool) {
	if f.Event == nil {
		return RequestLink{}, false
	}
	if rl, ok := l.cz.uploads[f.Event]; ok {
		return rl, true
	}
	var best RequestLink
	found := false
	for _, w := range l.uploadsAt(procOf(f), path.Clean(f.Event.Path)) {
		if d := f.Time.Sub(w.Time); d >= 0 && d <= l.o.RequestWindow {
			best, found = l.cz.uploads[w], true
		}
	}
	return best, found
}

// linkHTTPClients (rule b with the access log): an upload a web server
// wrote for a client, a finding on a request itself (a login won by
// guessing), or the server's write where a request's ../ led, joins the
// web-shell roots that the same client (address and user agent) drove
// within Gap — the probe file an attacker uploads to test the form before
// the shell. Only the nearest root is linked; one is enough to join the
// chain. Without a user agent there is no client to follow, and nothing is
// linked.
func (l *linker) linkHTTPClients() {
	type tied struct {
		root *parser.Process
		rl   RequestLink
	}
	var ts []tied
	for _, r := range l.roots {
		if rl, ok := l.cz.execs[r]; ok && strong(rl) {
			ts = append(ts, tied{r, rl})
		}
	}
	if len(ts) == 0 {
		return
	}
	for i, f := range l.findings {
		var up RequestLink
		if ev := f.Event; ev != nil && ev.Kind == parser.KindHTTP && ev.HTTP != nil {
			// a finding on a request itself (a login won by guessing):
			// the request is the evidence
			up = RequestLink{Request: ev}
		} else if r := tracedRequest(f); r != nil && l.o.isWebServer(procOf(f)) {
			// the server's own act where a request's ../ led: the request
			// is named by evidence (inclusion.go, traversalwrite.go)
			up = RequestLink{Request: r}
		} else {
			p := procOf(f)
			if p == nil || !l.o.isWebServer(p) {
				continue
			}
			var ok bool
			if up, ok = l.uploadOf(f); !ok || !strong(up) {
				continue
			}
		}
		id := identityOf(up.Request)
		if id.agent == "" {
			// an address alone is no client's identity: a proxy, a NAT
			// or a common log format without user agents (Tomcat's
			// default) gives every visitor the same one
			continue
		}
		var best *tied
		var bd time.Duration
		for j := range ts {
			t := &ts[j]
			if identityOf(t.rl.Request) != id || !sameHost(t.root.Key.Host, f.Host) {
				continue
			}
			d := absDur(t.rl.Request.Time.Sub(up.Request.Time))
			if d <= l.o.Gap && (best == nil || d < bd) {
				best, bd = t, d
			}
		}
		if best == nil {
			continue
		}
		stored := ""
		if up.File != "" {
			stored = " (stored " + up.File + ")"
		}
		l.union(findingKey(i), procKey{best.root}, f.Time, fmt.Sprintf("http client: %s %q sent %s at %s%s and %s at %s",
			id.client, id.agent, describeRequest(up.Request), when(up.Request.Time), stored,
			describeRequest(best.rl.Request), when(best.rl.Request.Time)))
	}
}

// scriptOf keys the entry point a request used: its script and its client
// (address and user agent). An application's own script is requested by
// every visitor; when an attacker injects commands through it, the
// visitors' runs of it are not the attacker's, and only the client tells
// them apart (the cgi-backdoor capture: report.php ran the finance team's
// reports and the attacker's injections alike).
func scriptOf(host string, r *parser.Event) scriptKey {
	id := identityOf(r)
	return scriptKey{host, path.Clean(r.HTTP.Path), id.client, id.agent}
}

// tracedRequest is the request a finding's evidence names (placeInclusions
// and traversalWrites add it to Related), or nil.
func tracedRequest(f *detect.Finding) *parser.Event {
	for _, r := range f.Related {
		if r != nil && r.Kind == parser.KindHTTP && r.HTTP != nil {
			return r
		}
	}
	return nil
}
