package report

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
)

// The summary is the report's first screen: per chain, what happened in
// the order it happened, then what must be cleaned up and the key IOCs. It
// is made from the Document alone (never from the Case), so the JSON, the
// text and the HTML report say the same, and a report read back from JSON
// (auditchain diff) gets the same summary again.

// DocSummary is what happened and what to clean up.
type DocSummary struct {
	// Chains are the chains worth reading first (high or critical), worst
	// first, each told as sentences; Folded holds the others, one line each.
	Chains  []DocStory   `json:"chains"`
	Folded  []DocStory   `json:"folded"`
	Cleanup []DocCleanup `json:"cleanup"` // every persistence, key, account, written file, channel and host reached
	KeyIOCs []DocKeyIOC  `json:"key_iocs"`
	// Score explains once what a chain's score is made of.
	Score string `json:"score"`
}

// DocStory is one chain told in sentences.
type DocStory struct {
	ChainID  string `json:"chain_id"`
	Severity string `json:"severity"`
	Score    int    `json:"score"`
	// Headline is the chain in one line: where, when, who, what stages
	// (the id and severity are beside it).
	Headline string `json:"headline"`
	// ScoreParts breaks Score down, e.g. "400 critical + 80 for 8 stages + 9 findings".
	ScoreParts string        `json:"score_parts,omitempty"`
	Sentences  []DocSentence `json:"sentences,omitempty"`
}

// DocSentence is one observed stage of a chain in one sentence.
type DocSentence struct {
	Stage      int       `json:"stage"`
	StageID    string    `json:"stage_id"`
	Time       time.Time `json:"time,omitzero"`
	Text       string    `json:"text"`
	Inferred   bool      `json:"inferred,omitempty"` // the sentence is an inference (a stage not seen, a re-entry): Text says so and names the rule
	FindingIDs []string  `json:"finding_ids"`
}

// Cleanup kinds, in the order the summary lists them.
const (
	CleanPersistence = "persistence" // cron entry, unit, profile edit, preload
	CleanKey         = "key"         // an SSH key planted or stolen
	CleanAccount     = "account"     // an account created, changed or logged into by the intruder
	CleanFile        = "file"        // a file the intruder wrote
	CleanChannel     = "channel"     // a peer the intruder's processes connected to or named
	// CleanHost is a host the intruder moved on to (a lateral-movement
	// connect): a victim to check, not infrastructure to block.
	CleanHost = "host"
	// CleanService is a service of this host the intruder's processes
	// connected to (a process of the host answered: PeerService): the
	// victim's own, to check for what it was made to do, not to block.
	CleanService = "service"
)

// DocCleanup is one thing a responder must remove, rotate or block.
type DocCleanup struct {
	Kind       string   `json:"kind"`
	What       string   `json:"what"`   // the path, account or peer
	Detail     string   `json:"detail"` // what was done with it, by which process, when
	ChainID    string   `json:"chain_id"`
	FindingIDs []string `json:"finding_ids"`
	// hostOwn: the host's own file the intruder wrote into or used (an
	// authorized_keys, a key of the host): cleaned or rotated here, not an
	// indicator to search for elsewhere.
	hostOwn bool
}

// DocKeyIOC is an indicator worth searching for elsewhere.
type DocKeyIOC struct {
	Type       string   `json:"type"`
	Value      string   `json:"value"`
	Note       string   `json:"note,omitempty"`
	FindingIDs []string `json:"finding_ids"`
}

// scoreText explains the chain score (timeline's Score) once.
const scoreText = "a chain's score = 100 × its severity (critical 4, high 3, medium 2, low 1) + 10 per stage observed " +
	"(5 per stage only inferred) + its findings, at most 9; it ranks chains, it is not a probability"

// foldedBelow: chains under this severity rank are folded to one line.
const foldedBelow = 3 // high

// maxListed bounds the items named in one sentence.
const maxListed = 6

// buildSummary makes d.Summary and each finding's ChainLink from the rest of d.
func buildSummary(d *Document) {
	byID := findingIndex(d)
	s := &DocSummary{Chains: []DocStory{}, Folded: []DocStory{}, Cleanup: []DocCleanup{}, KeyIOCs: []DocKeyIOC{}, Score: scoreText}
	// a file one chain wrote may be deleted by an act of another (the
	// crontab installed in one, removed by crontab -r in the next)
	deleted := docDeletions(d)
	for i := range d.Chains {
		ch := &d.Chains[i]
		linkFindings(ch, byID)
		if severityRank(ch.Severity) < foldedBelow {
			s.Folded = append(s.Folded, DocStory{ChainID: ch.ID, Severity: ch.Severity, Score: ch.Score, Headline: headline(ch, byID)})
			continue
		}
		// one account for the whole chain is said once, in the headline
		only := ""
		if who := accounts(chainFindings(ch.FindingIDs, byID)); len(who) == 1 {
			only = who[0]
		}
		st := DocStory{ChainID: ch.ID, Severity: ch.Severity, Score: ch.Score, Headline: headline(ch, byID),
			ScoreParts: scoreParts(ch), Sentences: []DocSentence{}}
		for _, sg := range ch.Stages {
			if sg.Observed {
				st.Sentences = append(st.Sentences, sentence(ch, sg, byID, only))
			}
		}
		st.Sentences = append(st.Sentences, reentrySentences(ch, byID)...)
		slices.SortStableFunc(st.Sentences, func(a, b DocSentence) int { return a.Time.Compare(b.Time) })
		s.Chains = append(s.Chains, st)
		s.Cleanup = append(s.Cleanup, cleanup(ch, byID, deleted)...)
	}
	s.KeyIOCs = keyIOCs(d, s)
	d.Summary = s
}

// chainFindings returns the findings of ids in time order.
func chainFindings(ids []string, byID map[string]*DocFinding) []*DocFinding {
	out := make([]*DocFinding, 0, len(ids))
	for _, id := range ids {
		if f := byID[id]; f != nil {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *DocFinding) int { return a.Time.Compare(b.Time) })
	return out
}

// HostLabel names a chain's host, or says how to name it.
func HostLabel(h string) string {
	if h == "" {
		return "host (unnamed: --node-name NAME)"
	}
	return "host " + h
}

// headline is the chain in one line: where, when, who, which stages.
func headline(ch *DocChain, byID map[string]*DocFinding) string {
	fs := chainFindings(ch.FindingIDs, byID)
	var b strings.Builder
	b.WriteString(HostLabel(ch.Host))
	if ch.ContainerID != "" {
		b.WriteString(", container " + shortContainer(ch.ContainerID))
		if ch.Container != nil && ch.Container.Name != "" {
			b.WriteString(" (" + ch.Container.Name + ")")
		}
	}
	if !ch.FirstSeen.IsZero() {
		b.WriteString(", " + clock(ch.FirstSeen) + "–" + clock(ch.LastSeen) + " UTC (" + ch.LastSeen.Sub(ch.FirstSeen).Round(time.Second).String() + ")")
	}
	if who := accounts(fs); len(who) > 0 {
		b.WriteString(", as " + listed(who, 3))
	}
	var stages []string
	for _, s := range ch.Stages {
		if s.Observed {
			stages = append(stages, strconv.Itoa(s.Stage))
		}
	}
	if len(stages) > 0 {
		b.WriteString("; stages " + strings.Join(stages, ","))
	}
	b.WriteString("; " + plural(len(ch.FindingIDs), "act"))
	if len(fs) > 0 && len(stages) <= 1 {
		b.WriteString(": " + fs[0].Title)
		if c := command(fs[0]); c != "" {
			b.WriteString(" (" + shorten(c, 60) + ")")
		}
	}
	return b.String()
}

// clock is a time of day in UTC with seconds, for sentences.
func clock(t time.Time) string { return t.UTC().Format("15:04:05") }

// accounts names the accounts the findings acted as.
func accounts(fs []*DocFinding) []string {
	var out []string
	for _, f := range fs {
		if a := account(f.Process); a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// account is "www-data (uid 33)", or says how to name the uid.
func account(p *DocProcess) string {
	if p == nil || p.UID == unsetID {
		return ""
	}
	uid := strconv.FormatUint(uint64(p.UID), 10)
	if p.User == "" {
		return "uid " + uid + " (name unknown: --passwd FILE)"
	}
	return p.User + " (uid " + uid + ")"
}

// unsetID is auditd's "unset" uid (4294967295).
const unsetID = ^uint32(0)

// command is the command a finding's exec ran, the inner string of a
// `sh -c` and without a trailing 2>&1; "" for other events.
func command(f *DocFinding) string {
	if f.Kind != "exec" {
		return ""
	}
	var args []string
	if f.Process != nil {
		args = shownArgs(f.Process.Args, f.Process.ArgsHex)
	}
	if len(args) == 0 {
		return strings.TrimPrefix(f.Summary, "exec ")
	}
	if len(args) >= 3 && isShell(args[0]) && args[1] == "-c" {
		return strings.TrimSuffix(strings.TrimSpace(args[2]), " 2>&1")
	}
	return shellJoin(args)
}

func isShell(a string) bool {
	switch baseName(a) {
	case "sh", "dash", "bash", "zsh", "ash", "busybox":
		return true
	}
	return false
}

// listed joins up to n items, saying how many more there were.
func listed(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + " and " + strconv.Itoa(len(items)-n) + " more"
}

// stageFacts is what a stage's findings and requests show.
type stageFacts struct {
	who, clients, shells, cmds, failed, wrote, deleted, peers, probed, reqs, other []string
	// channels are peers of a reverse shell, beacon or tunnel; unsure the
	// peers of connects whose result the log does not hold (non-blocking),
	// refused those of failed connects (with the reason)
	channels, unsure, refused []string
	// scans are the commands of a lateral-movement stage whose match is a
	// port scan: they looked for services, they moved nowhere
	scans []string
	// fired are the runs of a file the intrusion planted (planted-file-run):
	// what ran it was not the intruder's command but the plant's trigger
	fired []string
	// hooks are the start-up hooks whose firing was inferred (the
	// interpreter's first child): said as inferred, with the hook
	hooks []string
	// again are the intrusion's programs started again (by cron, a
	// service, its own watchdog): persistence that fired, not installed
	again []string
	// logins are the first commands of logins into an account the
	// intrusion changed (login-changed-account): the way in used, not
	// installed; said with the account
	logins []string
}

// isProbe reports whether a finding is a scan's connection (its technique
// is network service discovery, T1046): a service the intruder looked for,
// not a peer it talked to — no channel to kill, nothing to hunt elsewhere.
func isProbe(f *DocFinding) bool { return f.Peer != "" && slices.Contains(f.Attack, "T1046") }

func addOnce(ss *[]string, s string) {
	if s != "" && !slices.Contains(*ss, s) {
		*ss = append(*ss, s)
	}
}

// sentence tells one observed stage: who did what, where, on which findings.
// chainWho is the chain's one account, left out of the sentences.
func sentence(ch *DocChain, sg DocStage, byID map[string]*DocFinding, chainWho string) DocSentence {
	fs := chainFindings(sg.FindingIDs, byID)
	out := DocSentence{Stage: sg.Stage, StageID: sg.StageID, Time: sg.FirstSeen, FindingIDs: slices.Clone(sg.FindingIDs)}
	if out.FindingIDs == nil {
		out.FindingIDs = []string{}
	}
	var x stageFacts
	pids := map[int]bool{}
	procsOf := map[string][]*DocProcess{} // a listed command → the processes that ran it
	writers := map[string][]*DocProcess{} // a written file → the processes that wrote it
	renamed := map[string]bool{}          // once, as a set: a stage of a long history holds thousands
	for _, p := range renamedFrom(fs) {
		renamed[p] = true
	}
	for _, f := range fs {
		addOnce(&x.who, account(f.Process))
		if f.Process != nil {
			pids[f.Process.PID] = true
		}
		switch {
		case f.Kind == "exec":
			c := shorten(briefCommand(f), 80)
			if f.Outcome == OutcomeFailure {
				addOnce(&x.failed, c+" ("+f.OutcomeReason+")")
			} else if slices.Contains(f.RuleIDs, detect.RulePlantedFileRun) && f.Hook != "" {
				addOnce(&x.hooks, shorten(f.Hook, 80)+" is taken to have fired as `"+c+"` ("+hookWhy(f.Hook)+": no exec names a hook)")
			} else if slices.Contains(f.RuleIDs, detect.RulePlantedFileRun) {
				addOnce(&x.fired, c)
			} else if slices.Contains(f.RuleIDs, detect.RuleLoginChangedAccount) {
				addOnce(&x.logins, account(f.Process)+" logged in and ran `"+c+"`")
			} else if slices.Contains(f.RuleIDs, detect.RuleImplantRelaunched) || slices.Contains(f.RuleIDs, detect.RuleImplantWatchdog) {
				if !slices.ContainsFunc(x.again, func(s string) bool { return containsCommand(s, c) }) {
					x.again = append(x.again, c)
				}
			} else if sg.Stage == 6 && isScan(f) {
				addOnce(&x.scans, c)
				procsOf[c] = append(procsOf[c], f.Process)
			} else if !slices.ContainsFunc(x.cmds, func(s string) bool { return containsCommand(s, c) }) {
				// a command an earlier one already shows (the id of
				// "ping …;id") is not listed again
				x.cmds = append(x.cmds, c)
				procsOf[c] = append(procsOf[c], f.Process)
			}
		case f.Kind == "unlink" && f.File != "":
			addOnce(&x.deleted, f.File)
		case f.File != "" && renamed[f.File]:
			// a temporary file renamed into place: the place is what counts
		case f.File != "":
			addOnce(&x.wrote, f.File)
			writers[f.File] = append(writers[f.File], f.Process)
		case isProbe(f):
			addOnce(&x.probed, f.Peer)
		case f.Peer != "":
			switch {
			case f.Outcome == OutcomeFailure:
				addOnce(&x.refused, f.Peer+", which failed: "+f.OutcomeReason)
			case f.Outcome == OutcomeUnknown:
				addOnce(&x.unsure, f.Peer)
			case isChannel(f):
				addOnce(&x.channels, f.Peer)
			default:
				addOnce(&x.peers, f.Peer)
			}
		default:
			addOnce(&x.other, f.Title+" ("+shorten(f.Summary, 80)+")")
		}
	}
	// a peer one connect of the stage reached is not also "unsure"
	x.unsure = slices.DeleteFunc(x.unsure, func(p string) bool {
		return slices.Contains(x.peers, p) || slices.Contains(x.channels, p)
	})
	// the chain's requests that caused this stage's processes or files
	var rs []DocRequest
	for _, r := range ch.Requests {
		if (r.PID > 0 && pids[r.PID]) || (r.File != "" && slices.Contains(x.wrote, r.File)) {
			rs = append(rs, r)
		}
	}
	for _, r := range rs {
		if r.File == "" { // an upload's target is not a web shell
			addOnce(&x.shells, urlPath(r.URL))
		}
	}
	for _, r := range slices.Concat(sg.Requests, rs) {
		c := r.Client
		if r.UserAgent != "" {
			c += " (" + r.UserAgent + ")"
		}
		addOnce(&x.clients, c)
	}
	for _, r := range sg.Requests {
		addOnce(&x.reqs, r.Method+" "+shorten(r.URL, 60)+" → "+strconv.Itoa(r.Status))
	}
	var parts []string
	if len(x.reqs) > 0 {
		parts = append(parts, "requests "+listed(x.reqs, 3))
	}
	who := listed(x.who, 2)
	switch who {
	case "":
		who = "a process"
	case chainWho:
		who = "" // said in the headline
	}
	verb := map[int]string{1: "ran", 2: "ran", 3: "ran", 4: "ran", 5: "installed persistence with", 6: "moved on with", 7: "ran", 8: "ran"}[sg.Stage]
	if verb == "" {
		verb = "ran"
	}
	tell := func(who string, cmdList, scans []string) string {
		cmds := quoteAll(elideInjected(cmdList))
		var did []string
		if len(cmds) > 0 {
			did = append(did, verb+" "+listed(cmds, maxListed))
		}
		if len(scans) > 0 {
			did = append(did, "scanned with "+listed(quoteAll(elideInjected(scans)), maxListed))
		}
		p := strings.TrimSpace(who + " " + strings.Join(did, " and "))
		if sg.Stage == 7 {
			p = strings.TrimSpace(who + " ran " + listed(cmds, maxListed) + " inside the channel")
		}
		return p
	}
	if len(x.cmds) > 0 || len(x.scans) > 0 {
		if len(x.shells) == 0 {
			parts = append(parts, tell(who, x.cmds, x.scans))
		} else {
			// "through requests to X" is said of what those requests
			// caused (run by a request's process or below it): a cron
			// job's command beside them is told apart
			ran := requestCaused(ch.Requests, procsOf, byID)
			shells := slices.Clone(x.shells)
			caused := func(c string) bool {
				r, ok := ran(c)
				if ok {
					addOnce(&shells, urlPath(r.URL))
				}
				return ok
			}
			viaC, ownC := partition(x.cmds, caused)
			viaS, ownS := partition(x.scans, caused)
			if len(viaC)+len(viaS) > 0 {
				parts = append(parts, tell(who, viaC, viaS)+" through "+entry(ch, shells))
				who = ""
			}
			if len(ownC)+len(ownS) > 0 {
				parts = append(parts, tell(who, ownC, ownS))
			}
		}
	}
	if len(x.failed) > 0 {
		parts = append(parts, "tried "+listed(quoteAll(x.failed), 3)+", which failed")
	}
	if len(x.wrote) > 0 {
		parts = append(parts, wroteParts(ch, &x, writers, byID, who)...)
	}
	if len(x.hooks) > 0 {
		parts = append(parts, "the start-up hook "+listed(x.hooks, 3))
	}
	if len(x.fired) > 0 {
		parts = append(parts, "the planted file ran as "+listed(quoteAll(x.fired), 3))
	}
	if len(x.again) > 0 {
		parts = append(parts, "the intrusion's program was started again as "+listed(quoteAll(x.again), 3))
	}
	if len(x.logins) > 0 {
		parts = append(parts, "an account the intrusion changed was used: "+listed(x.logins, 3))
	}
	if len(x.deleted) > 0 {
		parts = append(parts, "deleted "+listed(x.deleted, maxListed))
	}
	if len(x.channels) > 0 {
		parts = append(parts, "channel to "+listed(x.channels, 4))
	}
	if len(x.peers) > 0 {
		parts = append(parts, "connected to "+listed(x.peers, 4))
	}
	if len(x.unsure) > 0 {
		parts = append(parts, "connect to "+listed(x.unsure, 4)+" (non-blocking: the log does not record whether it connected)")
	}
	if len(x.refused) > 0 {
		parts = append(parts, "tried to connect to "+listed(x.refused, 3))
	}
	if len(x.probed) > 0 {
		parts = append(parts, "probed "+listed(x.probed, 4))
	}
	if len(x.other) > 0 {
		parts = append(parts, listed(x.other, 3))
	}
	if len(x.clients) > 0 {
		parts = append(parts, "from "+listed(x.clients, 2))
	}
	text := sg.Name + ": " + strings.Join(parts, "; ")
	if len(parts) == 0 {
		text = sg.Name + ": " + sg.Reason
	}
	if sg.Confidence == "inferred" {
		out.Inferred = true
		text = sg.Name + " (not seen, inferred: " + strings.TrimPrefix(sg.Reason, "inferred ") + ")"
		if len(parts) > 0 {
			// its requests are seen, their role is the inference: the
			// reason's first clause names the rule
			why, _, _ := strings.Cut(sg.Reason, "; ")
			text = sg.Name + " (" + why + "): " + strings.Join(parts, "; ")
		}
	}
	out.Text = text + "."
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}

// urlPath is a URL without its query.
func urlPath(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

// persistPath reports whether a change to a path survives a reboot or a
// logout: a persistence place (detect's table), or a unit file wherever it
// lies (`systemctl link` enables one from any folder). The account
// databases are left to the accounts they hold: a changed /etc/shadow is
// an account to check, not a file to remove.
func persistPath(p string) bool {
	switch strings.TrimSuffix(p, "-") {
	case "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow":
		return false
	}
	return detect.PersistencePlace(p) || strings.HasSuffix(p, ".service") || strings.HasSuffix(p, ".timer")
}

// pathToken finds path-like words in a command line.
var pathToken = regexp.MustCompile(`(?:~|/)[^\s'"<>|;&()]+`)

// cleanup lists what the chain left behind or opened, with its evidence.
func cleanup(ch *DocChain, byID map[string]*DocFinding, deleted deletionSet) []DocCleanup {
	fs := chainFindings(ch.FindingIDs, byID)
	var out []DocCleanup
	idx := map[string]int{} // kind+what → position in out
	add := func(kind, what, detail string, f *DocFinding) *DocCleanup {
		k := kind + "\x00" + what
		if i, ok := idx[k]; ok {
			if !slices.Contains(out[i].FindingIDs, f.ID) {
				out[i].FindingIDs = append(out[i].FindingIDs, f.ID)
			}
			return &out[i]
		}
		idx[k] = len(out)
		out = append(out, DocCleanup{Kind: kind, What: what, Detail: detail, ChainID: ch.ID, FindingIDs: []string{f.ID}})
		return &out[len(out)-1]
	}
	by := func(f *DocFinding) string {
		s := "by "
		if f.Process != nil {
			s += procLabel(baseName(f.Process.Exe), f.Process.PID)
		}
		return s + " at " + clock(f.Time) + " UTC"
	}
	renamedAway := map[string]bool{} // a set: a long history renames thousands
	for _, p := range renamedFrom(fs) {
		renamedAway[p] = true
	}
	gone := func(p string, w *DocFinding) string {
		d, ok := deleted.of(p)
		if !ok || d.f.Time.Before(w.Time) {
			return ""
		}
		s := "; deleted later " + by(d.f) + " (" + d.f.ID + ")"
		if d.folder != "" {
			s += " with its folder " + d.folder
		}
		if d.fromArgs {
			s += ", " + inferredDeletion
		}
		return s
	}
	for _, f := range fs {
		if f.Outcome == OutcomeFailure {
			continue
		}
		if f.ChannelPeer != "" && f.PeerService == "" {
			// the channel a command ran in (its connect no finding of its
			// own): besides whatever the command itself left
			d := "the channel `" + briefCommand(f) + "` " + by(f) + " ran in"
			if strings.Contains(f.Reason, "inferred channel") {
				d += " (inferred: " + f.ID + " says how)"
			}
			add(CleanChannel, f.ChannelPeer, d+": kill what holds it, block the peer", f)
		}
		cmd := command(f)
		args := []string{}
		if f.Process != nil {
			args = f.Process.Args
		}
		switch {
		case f.File != "" && f.Kind != "unlink" && !renamedAway[f.File]:
			switch kind := fileKind(f.File, f.Stage); kind {
			case CleanFile:
				add(kind, f.File, "written "+by(f)+gone(f.File, f), f)
			case CleanKey:
				// a file of keys the host trusts: the intruder's are added
				// to the host's own (authorized_keys)
				add(kind, f.File, "written "+by(f)+gone(f.File, f)+": remove the keys the intruder added", f).hostOwn = true
			default:
				add(kind, f.File, "written "+by(f)+gone(f.File, f), f)
			}
		case isProbe(f):
			// a scanned service is the victim's: nothing to block or kill
		case f.Peer != "" && f.StageID == "lateral-movement":
			d := "reached by lateral movement: connection opened " + by(f)
			if f.Outcome == OutcomeUnknown {
				d = "reached by lateral movement: connect " + by(f) + " (non-blocking: the log does not record whether it connected)"
			}
			add(CleanHost, f.Peer, d+": check that host, and kill what holds the connection", f)
		case f.Peer != "" && f.PeerService != "":
			add(CleanService, f.Peer, "connection opened "+by(f)+", answered by "+f.PeerService+", a service of this host (inferred by address and time)"+
				": the victim's own service, nothing to block; check what the intrusion made it do", f)
		case f.Peer != "":
			d := "connection opened " + by(f)
			if f.Outcome == OutcomeUnknown {
				d = "connect " + by(f) + " (non-blocking: the log does not record whether it connected)"
			}
			if f.StageID != "" {
				d += " (" + f.StageID + ")"
			}
			d += ": kill what holds it, block the peer"
			add(CleanChannel, f.Peer, d, f)
		case f.Kind == "exec" && len(args) > 0:
			name := baseName(args[0])
			switch {
			case name == "crontab" && !slices.Contains(args[1:], "-l") && !slices.Contains(args[1:], "-r"):
				user := "the acting account"
				if f.Process != nil && f.Process.User != "" {
					user = f.Process.User
				}
				tab := "/var/spool/cron/crontabs/" + user
				add(CleanPersistence, tab, "crontab of "+user+" installed with `"+shellJoin(args)+"` "+by(f)+
					" (the table's path on Debian; /var/spool/cron/"+user+" on Red Hat)"+gone(tab, f), f)
			case name == "useradd" || name == "adduser" || name == "usermod" || name == "passwd" || name == "chpasswd" || name == "chage" || name == "userdel" || name == "deluser":
				if acct := accountOperand(name, args); acct != "" && lockedOut(name, args) {
					// its owner kept out (T1531): what to undo is the lock
					add(CleanAccount, acct, "locked, expired or removed with `"+shellJoin(args)+"` "+by(f)+": restore its owner's access", f)
				} else if acct != "" {
					add(CleanAccount, acct, "changed with `"+shellJoin(args)+"` "+by(f), f)
				} else if name == "chpasswd" {
					// the names come on its standard input, which no audit
					// record holds
					add(CleanAccount, "(read by chpasswd)", "passwords set with `"+shellJoin(args)+"` "+by(f)+
						" for accounts named on its standard input, which the log does not record: check every account's password", f)
				} else if name == "passwd" && f.Process != nil && f.Process.User != "" {
					add(CleanAccount, f.Process.User, "changed with `"+shellJoin(args)+"` "+by(f)+" (no account named: its own)", f)
				}
			case name == "ssh" || name == "scp" || name == "sftp":
				if t := sshTarget(args); t != "" {
					d := sshLogin(ch, f) + by(f)
					if k := flagValue(args, "-i"); k != "" {
						d += " with the key " + k
						detail, own := keyOrigin(k, fs, ch.Tree, by)
						add(CleanKey, k, "used by `"+briefCommand(f)+"` "+by(f)+"; "+detail, f).hostOwn = own
					}
					add(CleanAccount, t, d, f)
				}
			case name == "ln" && len(args) >= 4 && slices.ContainsFunc(args[1:len(args)-2], func(a string) bool {
				return strings.HasPrefix(a, "-") && strings.Contains(a, "s")
			}):
				// a symlink that enables something: what it points to
				// is the thing to remove (a unit under default.target.wants)
				link, to := args[len(args)-1], args[len(args)-2]
				if !path.IsAbs(to) {
					to = path.Join(path.Dir(link), to)
				}
				if persistPath(to) || persistPath(link) {
					add(fileKind(to, f.Stage), to, "enabled by the link "+link+", made "+by(f)+gone(to, f), f)
				}
			case name == "systemctl" && slices.Contains(args, "enable"):
				add(CleanPersistence, lastArg(args), "enabled "+by(f), f)
			}
			if name == "curl" || name == "wget" {
				for _, u := range urlPeers(args) {
					add(CleanChannel, u, "named in the command line of `"+shorten(cmd, 100)+"` "+by(f)+": block the peer", f)
				}
			}
			// paths a command line writes to: persistence places, and the
			// destinations of cp, mv, tar, wget -O, curl -o, > and >>
			for _, p := range writtenPaths(name, args, cmd) {
				kind := fileKind(p, f.Stage)
				add(kind, p, "written by `"+shorten(cmd, 100)+"` "+by(f)+gone(p, f), f)
			}
		}
	}
	markChanged(out, byID)
	slices.SortStableFunc(out, func(a, b DocCleanup) int { return cleanRank(a.Kind) - cleanRank(b.Kind) })
	return out
}

func cleanRank(k string) int {
	return slices.Index([]string{CleanPersistence, CleanKey, CleanAccount, CleanFile, CleanChannel, CleanHost, CleanService}, k)
}

// fileKind sorts a written path into a cleanup kind.
func fileKind(p string, stage int) string {
	switch {
	case strings.Contains(p, "authorized_keys"):
		return CleanKey
	case persistPath(p):
		return CleanPersistence
	}
	return CleanFile
}

// writtenPaths are the files a command line writes, as far as its words
// tell: redirections, and the destination of the usual copying tools.
func writtenPaths(name string, args []string, cmd string) []string {
	var out []string
	add := func(p string) {
		p = strings.Trim(p, `'"`)
		if (strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~")) && p != "/dev/null" && !strings.HasPrefix(p, "/dev/") && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	switch name {
	case "cp", "mv", "install", "ln":
		if len(args) >= 3 {
			add(args[len(args)-1])
		}
	case "tar":
		if len(args) >= 3 && strings.HasPrefix(strings.TrimPrefix(args[1], "-"), "c") && strings.Contains(args[1], "f") {
			add(args[2])
		}
	case "wget":
		add(flagValue(args, "-O"))
	case "curl":
		add(flagValue(args, "-o"))
	case "sed":
		if slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "-i") }) {
			for _, a := range args[1:] {
				if persistPath(a) {
					add(a)
				}
			}
		}
	}
	// redirections of the shell itself: a '>' inside quotes is text (an
	// echo into a profile, a nested sh -c's own redirection), not this
	// process writing the file
	var quote byte
	for i := 0; i < len(cmd); i++ {
		switch c := cmd[i]; {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
			continue
		case c == '\\' && i+1 < len(cmd):
			i++ // an escaped character, in or out of double quotes
			continue
		case quote == '"':
			if c == '"' {
				quote = 0
			}
			continue
		case c == '\'' || c == '"':
			quote = c
			continue
		}
		if cmd[i] != '>' || (i > 0 && (cmd[i-1] == '2' || cmd[i-1] == '&')) || (i+1 < len(cmd) && cmd[i+1] == '&') {
			continue
		}
		rest := strings.TrimLeft(cmd[i+1:], "> ")
		if m := pathToken.FindStringIndex(rest); m != nil && m[0] == 0 {
			add(rest[:m[1]])
		}
	}
	return out
}

// flagValue is the word after flag in args, or the rest of "-Ovalue".
func flagValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if len(flag) == 2 && strings.HasPrefix(a, flag) && len(a) > 2 {
			return a[2:]
		}
	}
	return ""
}

// sshTarget is the user@host an ssh command line logs into.
func sshTarget(args []string) string {
	if len(args) == 0 {
		return ""
	}
	name := baseName(args[0])
	withValue := "bcDEeFIiJLlmOopQRSWw"
	if name == "scp" || name == "sftp" {
		// their -l is a bandwidth limit and -P a port, not a login
		withValue = "BbcDFiJloPRSsX"
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if len(a) == 2 && strings.ContainsRune(withValue, rune(a[1])) {
				i++
			}
			continue
		}
		switch name {
		case "scp":
			// operands are files; the remote one names a host
			// ([user@]host:path or scp://[user@]host[:port]/path), a
			// local one does not (a ':' after a '/' is part of a path)
			if h := remoteHost(a); h != "" {
				return h
			}
			continue
		case "sftp":
			if h := remoteHost(a); h != "" {
				return h
			}
			return a
		}
		if l := flagValue(args, "-l"); l != "" && !strings.Contains(a, "@") {
			return l + "@" + a
		}
		return a
	}
	return ""
}

// remoteHost returns the [user@]host of an scp/sftp operand that names
// one, "" for a local path.
func remoteHost(a string) string {
	for _, scheme := range []string{"scp://", "sftp://"} {
		if rest, ok := strings.CutPrefix(a, scheme); ok {
			hostPort, _, _ := strings.Cut(rest, "/")
			if at := strings.LastIndex(hostPort, "@"); at >= 0 {
				user, host := hostPort[:at], hostPort[at+1:]
				host, _, _ = strings.Cut(host, ":")
				return user + "@" + host
			}
			h, _, _ := strings.Cut(hostPort, ":")
			return h
		}
	}
	// an IPv6 address is in brackets: [user@][::1]:path
	if strings.Contains(a, "@[") || strings.HasPrefix(a, "[") {
		if end := strings.Index(a, "]:"); end > 0 && !strings.Contains(a[:end], "/") {
			return a[:end+1]
		}
		return ""
	}
	colon := strings.Index(a, ":")
	if colon <= 0 || strings.Contains(a[:colon], "/") {
		return ""
	}
	return a[:colon]
}

// accountOperand is the account an account tool's command names: its
// last word when that is no option and no option's value ("usermod -L
// alice", "useradd -o -u 0 -g 0 sysmaint"), else "" (chpasswd reads its
// names from standard input; passwd alone changes the caller's own).
func accountOperand(name string, args []string) string {
	if len(args) < 2 || name == "chpasswd" {
		return ""
	}
	last := args[len(args)-1]
	if strings.HasPrefix(last, "-") || last == "" {
		return ""
	}
	if prev := args[len(args)-2]; len(args) > 2 && strings.HasPrefix(prev, "-") && optionTakesValue(name, prev) {
		return ""
	}
	return last
}

// lockedOut reports whether an account tool's command keeps the account's
// owner out: a lock, an expiry, a removed password, a deleted account.
func lockedOut(name string, args []string) bool {
	for _, a := range args[1:] {
		switch {
		case name == "userdel" || name == "deluser":
			return true
		case name == "usermod" && (a == "-L" || a == "--lock" || a == "-e" || strings.HasPrefix(a, "--expiredate")),
			name == "passwd" && (a == "-l" || a == "--lock" || a == "-d" || a == "--delete" || a == "-e" || a == "--expire"),
			name == "chage" && (a == "-E" || strings.HasPrefix(a, "--expiredate")):
			return true
		}
	}
	return false
}

// optionTakesValue reports whether an account tool's option takes the
// next word as its value (so that word is no account).
func optionTakesValue(name, opt string) bool {
	if strings.HasPrefix(opt, "--") {
		return !strings.Contains(opt, "=") && !slices.Contains([]string{"--lock", "--unlock", "--delete", "--expire", "--status", "--system", "--no-create-home", "--create-home", "--non-unique", "--remove", "--force", "--all", "--stdin", "--user-group", "--no-user-group", "--append", "--move-home", "--keep-tokens", "--quiet", "--disabled-password", "--disabled-login"}, opt)
	}
	if len(opt) != 2 {
		return false // clustered flags ("-lm") or an attached value ("-u0")
	}
	withValue := map[string]string{
		"useradd": "bcdefgGkKpsuRPZ",
		"usermod": "cdefgGlpRPsuvVwWZ",
		"passwd":  "nxwiR",
		"chage":   "dEIimMWR",
		"userdel": "RP",
	}[name]
	return strings.ContainsRune(withValue, rune(opt[1]))
}

func lastArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[len(args)-1]
}

// pidWord finds "pid N" as a whole word in a link.
// linkIndex finds a chain's links by what they name, built once per chain:
// a busy chain has thousands of links and tens of thousands of findings,
// and searching every link for every finding was their product.
type linkIndex struct {
	links []string
	byPID map[int]string // the first link naming "pid N"
	// pidActs lists the links naming "pid N" as an actor (ofPID): an
	// ancestry link's parent ("pid 6281 spawned by atd pid 6280") is not
	// one, since the link takes in the child's subtree, not the parent's
	pidActs map[int][]int
	found   map[string][]int // the links containing a file or peer, as asked
	// spawned maps a request's link (by index) to the processes its
	// request spawned (quotedLinks): nil until asked
	spawned map[int][]int
}

func newLinkIndex(links []string) *linkIndex {
	x := &linkIndex{links: links, byPID: map[int]string{}, pidActs: map[int][]int{}, found: map[string][]int{}}
	for li, l := range links {
		named := 0
		for i := 0; ; {
			j := strings.Index(l[i:], "pid ")
			if j < 0 {
				break
			}
			k := i + j + len("pid ")
			end := k
			for end < len(l) && l[end] >= '0' && l[end] <= '9' {
				end++
			}
			if end > k {
				if pid, err := strconv.Atoi(l[k:end]); err == nil {
					if _, ok := x.byPID[pid]; !ok {
						x.byPID[pid] = l
					}
					if named == 0 || !strings.HasPrefix(l, "ancestry: ") {
						x.pidActs[pid] = append(x.pidActs[pid], li)
					}
					named++
				}
			}
			i = end
		}
	}
	return x
}

// containing returns the first link that contains s and may explain f's
// act (explains, linkclaims.go); the links holding s are memoized:
// findings repeat the same file or peer.
func (x *linkIndex) containing(s string, f *DocFinding) string {
	is, ok := x.found[s]
	if !ok {
		for i, c := range x.links {
			if strings.Contains(c, s) {
				is = append(is, i)
			}
		}
		x.found[s] = is
	}
	for _, i := range is {
		if x.explains(i, f) {
			return x.links[i]
		}
	}
	return ""
}

// linkFindings sets each finding's ChainLink: the chain's link that names
// its file, its peer, its process or, failing those, its nearest ancestor.
func linkFindings(ch *DocChain, byID map[string]*DocFinding) {
	var x *linkIndex
	for _, id := range ch.FindingIDs {
		f := byID[id]
		if f == nil || f.ChainLink != "" || f.ChainID != ch.ID {
			continue
		}
		if x == nil {
			x = newLinkIndex(ch.Links)
			x.quotedLinks(ch.Requests)
		}
		f.ChainLink = x.findingLink(f)
	}
}

func (x *linkIndex) findingLink(f *DocFinding) string {
	// a file's links are about its write (an upload, a drop run later):
	// they explain a deletion only when they name the deleting process
	if f.File != "" && (f.Kind != "unlink" || f.Process == nil || x.byPID[f.Process.PID] == x.containing(f.File, f)) {
		if l := x.containing(f.File, f); l != "" {
			return l
		}
	}
	if f.Peer != "" {
		if l := x.containing(f.Peer, f); l != "" {
			return l
		}
	}
	p := f.Process
	if p == nil {
		return ""
	}
	if l := x.ofPID(x.pidActs[p.PID], f, p.PID); l != "" {
		return l
	}
	for _, a := range p.Ancestors {
		if l := x.ofPID(x.pidActs[a.PID], f, a.PID); l != "" {
			return "through its ancestor " + procLabel(baseName(a.Exe), a.PID) + ": " + l
		}
	}
	return ""
}

// keyIOCs picks the indicators worth searching for elsewhere: the clients
// and web shells of the requests, the peers, the files and keys left, from
// the chains the summary tells.
func keyIOCs(d *Document, s *DocSummary) []DocKeyIOC {
	out := []DocKeyIOC{}
	at := map[string]int{}
	add := func(typ, value, note string, ids []string) {
		if value == "" {
			return
		}
		if i, ok := at[typ+"\x00"+value]; ok {
			for _, id := range ids {
				if !slices.Contains(out[i].FindingIDs, id) {
					out[i].FindingIDs = append(out[i].FindingIDs, id)
				}
			}
			return
		}
		at[typ+"\x00"+value] = len(out)
		out = append(out, DocKeyIOC{Type: typ, Value: value, Note: note, FindingIDs: append([]string{}, ids...)})
	}
	byID := findingIndex(d)
	told := map[string]bool{}
	for _, st := range s.Chains {
		told[st.ChainID] = true
	}
	for _, ch := range d.Chains {
		if !told[ch.ID] {
			continue
		}
		for _, r := range ch.Requests {
			ids := causedFindings(&ch, r, byID)
			if r.PID > 0 || r.File != "" {
				note := "client of the requests that ran commands or wrote files"
				if r.UserAgent != "" {
					note += "; user agent " + r.UserAgent
				}
				add(IOCAddress, r.Client, note, ids)
			}
			if r.PID > 0 && r.File == "" {
				note := "requests to it spawned processes"
				if isWebShell(&ch, urlPath(r.URL)) {
					note = "web shell: " + note
				}
				if r.Backdoor != "" {
					note = "requests to it ran commands through the backdoor " + r.Backdoor
				}
				add(IOCURL, urlPath(r.URL), note, ids)
			}
		}
	}
	for _, c := range s.Cleanup {
		if c.Kind == CleanChannel {
			var stages []string
			for _, id := range c.FindingIDs {
				if f := byID[id]; f != nil {
					addOnce(&stages, f.StageID)
				}
			}
			// "of": a non-blocking connect or a URL in a command line does
			// not show that they talked
			add(IOCAddress, c.What, "peer of the intruder's processes ("+strings.Join(stages, ", ")+")", c.FindingIDs)
		}
	}
	// what the intruder left or used on disk: the same path is worth
	// looking for on the other hosts
	for _, c := range s.Cleanup {
		switch c.Kind {
		case CleanFile:
			if strings.HasPrefix(c.Detail, changedFile) {
				continue // the victim's own file, changed: nothing to hunt elsewhere
			}
			// "in this intrusion": the writer may be the server's own
			// worker storing the intruder's upload
			add(IOCFile, c.What, "written in this intrusion by "+ellipsize(strings.TrimPrefix(c.Detail, "written by "), 120), c.FindingIDs)
		case CleanKey:
			if !c.hostOwn {
				add(IOCFile, c.What, "key the intruder made: "+ellipsize(c.Detail, 120), c.FindingIDs)
			}
		}
	}
	// the tools the intruder ran from where tools are dropped, and where
	// its commands fetched or sent data: observed in its own findings'
	// records (no watch may have seen the tool written; a UDP transfer
	// leaves no connect)
	toldFindings := map[string]bool{}
	for _, ch := range d.Chains {
		if told[ch.ID] {
			for _, id := range ch.FindingIDs {
				toldFindings[id] = true
			}
		}
	}
	for _, ioc := range d.IOCs {
		if ioc.Inferred || !slices.ContainsFunc(ioc.FindingIDs, func(id string) bool { return toldFindings[id] }) {
			continue
		}
		switch {
		case ioc.Type == IOCFile && droppedPath(ioc.Value):
			add(IOCFile, ioc.Value, "run or left where tools are dropped (a temporary folder or a hidden name)", ioc.FindingIDs)
		case ioc.Type == IOCURL && strings.Contains(ioc.Value, "://"):
			add(IOCURL, ioc.Value, "named by the intruder's command that fetched or sent data", ioc.FindingIDs)
		}
	}
	for _, ioc := range d.IOCs {
		if ioc.Type == IOCHash {
			add(ioc.Type, ioc.Value, "", ioc.FindingIDs)
		}
	}
	for i := range out {
		slices.SortFunc(out[i].FindingIDs, compareIDs)
	}
	return out
}

// scoreParts breaks a chain's score into its terms (scoreText), or "" when
// they do not add up (a report from another version).
func scoreParts(ch *DocChain) string {
	sev := severityRank(ch.Severity)
	observed, inferred := 0, 0
	for _, s := range ch.Stages {
		if s.Observed {
			if s.Confidence == "inferred" {
				inferred++
			} else {
				observed++
			}
		}
	}
	n := min(len(ch.FindingIDs), 9)
	if sev < 1 || sev*100+observed*10+inferred*5+n != ch.Score {
		return ""
	}
	s := strconv.Itoa(sev*100) + " " + ch.Severity + " + " + strconv.Itoa(observed*10) + " for " + plural(observed, "stage") + " observed"
	if inferred > 0 {
		s += " + " + strconv.Itoa(inferred*5) + " for " + strconv.Itoa(inferred) + " inferred"
	}
	return s + " + " + strconv.Itoa(n) + " for findings"
}

// briefCommand is command, with an ssh login said in words: the target and
// the key matter, its -o options do not.
func briefCommand(f *DocFinding) string {
	c := command(f)
	if f.Process == nil || len(f.Process.Args) == 0 || baseName(f.Process.Args[0]) != "ssh" {
		return c
	}
	args := f.Process.Args
	t := sshTarget(args)
	if t == "" {
		return c
	}
	s := "ssh " + t
	if k := flagValue(args, "-i"); k != "" {
		s += " -i " + k
	}
	return s
}

// entry names the URLs commands came through: "the web shell X" when the
// chain saw X uploaded, else "requests to X" (an injection, an API).
func entry(ch *DocChain, paths []string) string {
	shell := true
	for _, p := range paths {
		shell = shell && isWebShell(ch, p)
	}
	if shell {
		return "the web shell " + listed(paths, 2)
	}
	return "requests to " + listed(paths, 2)
}

// isWebShell says whether the chain saw the file behind url path p
// uploaded: a request wrote a file whose path ends with p.
func isWebShell(ch *DocChain, p string) bool {
	for _, r := range ch.Requests {
		if r.File != "" && (strings.HasSuffix(r.File, p) || namesWithPathInfo(r.File, p)) {
			return true
		}
	}
	return false
}

// namesWithPathInfo reports whether URL path p names file f followed by a
// path-info (/uploads/c1.gif/.php runs c1.gif where PHP's
// cgi.fix_pathinfo is on; CGI's PATH_INFO in general).
func namesWithPathInfo(f, p string) bool {
	for i := len(p) - 1; i > 1; i-- {
		if p[i] == '/' && p[0] == '/' && strings.HasSuffix(f, p[:i]) {
			return true
		}
	}
	return false
}

// renamedFrom lists the old paths of the renames among fs.
func renamedFrom(fs []*DocFinding) []string {
	var out []string
	for _, f := range fs {
		if f.Kind == "rename" && f.File != "" {
			if old := strings.TrimSuffix(strings.TrimPrefix(f.Summary, "rename "), " → "+f.File); old != f.Summary && old != "" {
				out = append(out, old)
			}
		}
	}
	return out
}

// causedFindings are the chain's findings a request caused: those of the
// process it spawned, or about the file it wrote.
func causedFindings(ch *DocChain, r DocRequest, byID map[string]*DocFinding) []string {
	var out []string
	for _, id := range ch.FindingIDs {
		f := byID[id]
		if f == nil {
			continue
		}
		if (r.PID > 0 && r.File == "" && f.Process != nil && f.Process.PID == r.PID) || (r.File != "" && f.File == r.File) {
			out = append(out, id)
		}
	}
	return out
}

// urlPeers are the host[:port] of the http(s) and ftp URLs among args.
func urlPeers(args []string) []string {
	var out []string
	for _, a := range args[1:] {
		i := strings.Index(a, "://")
		if i < 0 {
			continue
		}
		scheme, rest := a[:i], a[i+3:]
		if scheme != "http" && scheme != "https" && scheme != "ftp" {
			continue
		}
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			rest = rest[:j]
		}
		if k := strings.LastIndexByte(rest, '@'); k >= 0 {
			rest = rest[k+1:]
		}
		if rest != "" && !slices.Contains(out, rest) {
			out = append(out, rest)
		}
	}
	return out
}

// containsCommand says whether command line a already shows command b:
// equal, or b is one of a's ;, &&, || or | separated parts.
func containsCommand(a, b string) bool {
	if a == b {
		return true
	}
	for _, sep := range []string{";", "&&", "||", "|"} {
		for _, part := range strings.Split(a, sep) {
			if strings.TrimSpace(part) == b {
				return true
			}
		}
	}
	return false
}

// elideInjected shortens command-injection lines that repeat the
// application's own command: after the first "ping -c 1 host;id", the
// others read "…;whoami".
func elideInjected(cmds []string) []string {
	out := slices.Clone(cmds)
	seen := map[string]bool{}
	for i, c := range cmds {
		j := strings.IndexByte(c, ';')
		if j <= 0 {
			continue
		}
		head := c[:j]
		if seen[head] {
			out[i] = "…" + c[j:]
		}
		seen[head] = true
	}
	return out
}

// cleanGroup is one line of the clean-up checklist: a kind and
// everything of that kind, in the order of the table below it.
type cleanGroup struct {
	Kind, Label string
	What        []string
}

func cleanGroups(cs []DocCleanup) []cleanGroup {
	labels := map[string]string{CleanPersistence: "Persistence to remove:", CleanKey: "Keys to remove or rotate:",
		CleanAccount: "Accounts to check:", CleanFile: "Files written:", CleanChannel: "Peers to block:",
		CleanHost: "Hosts reached:", CleanService: "Services of this host used:"}
	var out []cleanGroup
	at := map[string]int{} // one line per kind, whichever chains its items come from
	for _, c := range cs {
		i, ok := at[c.Kind]
		if !ok {
			i = len(out)
			at[c.Kind] = i
			out = append(out, cleanGroup{Kind: c.Kind, Label: nonEmpty(labels[c.Kind], c.Kind+":")})
		}
		k := &out[i]
		w := c.What
		if strings.HasPrefix(c.Detail, changedFile) {
			w += " (existed before: changed)"
		}
		switch {
		case strings.Contains(c.Detail, "; deleted later") && strings.Contains(c.Detail, inferredDeletion):
			w += " (deleted since, inferred)"
		case strings.Contains(c.Detail, "; deleted later"):
			w += " (deleted since)"
		}
		if !slices.Contains(k.What, w) {
			k.What = append(k.What, w)
		}
	}
	return out
}

// hookWhy says what a hook's firing was inferred from: a login shell's
// child for a login hook (detect/loginhook.go), an interpreter's first
// child for a start-up hook (detect/startuphook.go).
func hookWhy(hook string) string {
	if detect.LoginHook(hook) {
		return "a program a login shell started at once, after it was written"
	}
	return "the first child of an interpreter started after it was written"
}
