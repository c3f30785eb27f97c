package detect

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// Per-match meaning (issue 14): a rule of many selections catches several
// different acts — `sh -c id` and a download are both "web server
// exploitation" — and its tag list is the union of what any of them shows.
// Reporting every tag on every match says things the evidence does not
// (a recon command "is" T1105 ingress transfer). A built-in rule therefore
// maps, in its auditchain: block, what each selection means:
//
//	auditchain:
//	  attack: [T1059.004, T1505.003]   # base: every match shows these
//	  matches:                         # in priority order
//	    - selection: [susp_download]   # any of these searches matched …
//	      when: scheduled              # … and the process runs under cron/atd, not a web server
//	                                   #   (or shellless: the acting process is no shell;
//	                                   #   shell: it is one, or the act is no exec;
//	                                   #   planted: it runs in what a planted file started)
//	      stage: 8                     # … and the match was placed in this stage
//	      attack: [T1105]              # then these techniques are added,
//	      title: …                     # the first matching entry's title,
//	      why: …                       # why it is suspicious (else the description) and
//	      level: medium                # level win over the rule's,
//	      drop_base: true              # the base techniques do not apply,
//	      alone: true                  # or this entry's techniques alone,
//	      intent: staging              # what the match shows of intent (below).
//
// intent grades what a selection shows: unset, intent (a reverse shell, a
// secret read, a search for a way to root); "staging", a step installs and
// updates take too (fetching or unpacking files); "discovery", asking who
// and where the process runs (id, uname -a, hostname), which an intruder
// does first and status and diagnostics pages do on every view;
// "written", a script written where the site serves it, which installers,
// plugin managers and settings pages do as a web shell's upload does;
// "transfer", files sent to a destination (an upload, a copy over ssh),
// which integrations, publishing and off-site backups do as exfiltration
// does; "collection", files packed into an archive by a program the server
// started itself (no shell), which an application's exports do as staging
// does; "none", nothing by itself (a temp path in the command). A match whose entries
// show no intent — staging, discovery, or nothing by itself — needs
// corroboration (Finding.NeedsCorroboration, Finding.Shows): the timeline
// keeps it below high unless its chain shows intent
// (timeline/corroborate.go). A temporary file in an application's command
// (a thumbnail's input, a PDF's source) is what tempnam() gives every app.
//
// A rule without matches: (SigmaHQ's, a user's) keeps its tags on every
// match, as before.

// meaning is one entry of a rule's auditchain.matches.
type meaning struct {
	selections []string
	scheduled  bool
	shellless  bool // the acting process is no shell: the server ran the program itself
	inShell    bool // the opposite: the command ran in a shell (or the act is no exec)
	planted    bool // the acting process runs in what a plant started (plantfork.go)
	ownChannel bool // a connect by a process that hands no shell its socket (channelkind.go)
	stage      Stage
	attack     []string
	title      string
	why        string
	level      Severity
	hasLevel   bool
	dropBase   bool
	alone      bool
	intent     intentGrade
	// shows names what the entry's selections saw in this match ("a
	// temporary path"), said after the why so that a general why ("a
	// pattern of post-exploitation") is not read as all of it
	shows string
}

// intentGrade is what a selection's match shows of intent (see intent:).
type intentGrade uint8

const (
	intentShown      intentGrade = iota // the default: the match shows intent
	intentStaging                       // fetching or unpacking: installs do it too
	intentNone                          // nothing by itself (a temp path)
	intentDiscovery                     // who and where it runs: status pages ask too
	intentWritten                       // a script written where it is served: installers write them too
	intentTransfer                      // files sent to a destination: integrations, publishing and backups do it too
	intentCollection                    // files packed into an archive by the server's own program: exports do it too
)

// meaningSpec is an entry as written.
type meaningSpec struct {
	Selection stringList `yaml:"selection"`
	When      string     `yaml:"when"`
	Stage     string     `yaml:"stage"`
	Attack    []string   `yaml:"attack"`
	Title     string     `yaml:"title"`
	Why       string     `yaml:"why"`
	Level     string     `yaml:"level"`
	DropBase  bool       `yaml:"drop_base"`
	Alone     bool       `yaml:"alone"`
	Intent    string     `yaml:"intent"`
	Shows     string     `yaml:"shows"`
}

// stringList is a YAML string or list of strings.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = []string{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

var techniqueID = lazydfa.MustCompile(`^T\d{4}(\.\d{3})?$`)

// readMeanings checks and keeps the rule's auditchain.attack and matches.
func (r *Rule) readMeanings(base []string, specs []meaningSpec) error {
	if base == nil && specs == nil {
		return nil
	}
	for _, t := range base {
		if !techniqueID.MatchString(t) {
			return fmt.Errorf("auditchain.attack %q: want a technique id like T1059.004", t)
		}
	}
	r.baseAttack = base
	for i, s := range specs {
		m := meaning{selections: s.Selection, attack: s.Attack, title: s.Title, why: strings.TrimSpace(s.Why), dropBase: s.DropBase, alone: s.Alone, shows: strings.TrimSpace(s.Shows)}
		for _, t := range s.Attack {
			if !techniqueID.MatchString(t) {
				return fmt.Errorf("auditchain.matches[%d].attack %q: want a technique id like T1059.004", i, t)
			}
		}
		switch s.Intent {
		case "":
		case "staging":
			m.intent = intentStaging
		case "none":
			m.intent = intentNone
		case "discovery":
			m.intent = intentDiscovery
		case "written":
			m.intent = intentWritten
		case "transfer":
			m.intent = intentTransfer
		case "collection":
			m.intent = intentCollection
		default:
			return fmt.Errorf("auditchain.matches[%d].intent %q: want staging, discovery, written, transfer, collection or none", i, s.Intent)
		}
		if m.intent != intentShown && len(m.selections) == 0 {
			return fmt.Errorf("auditchain.matches[%d].intent: grades what selections show: give selection", i)
		}
		switch s.When {
		case "":
		case "scheduled":
			m.scheduled = true
		case "shellless":
			m.shellless = true
		case "shell":
			m.inShell = true
		case "planted":
			m.planted = true
		case "own-channel":
			m.ownChannel = true
		default:
			return fmt.Errorf("auditchain.matches[%d].when %q: want scheduled, shellless, shell, planted or own-channel", i, s.When)
		}
		if s.Stage != "" {
			st, ok := ParseStage(s.Stage)
			if !ok {
				return fmt.Errorf("auditchain.matches[%d].stage %q: want 1-8 or a stage id", i, s.Stage)
			}
			m.stage = st
		}
		if s.Level != "" {
			lv, err := ParseSeverity(s.Level)
			if err != nil {
				return fmt.Errorf("auditchain.matches[%d].level: %v", i, err)
			}
			m.level, m.hasLevel = lv, true
		}
		r.meanings = append(r.meanings, m)
	}
	r.perMatch = true
	r.descWhy = strings.Join(strings.Fields(r.Description), " ")
	return nil
}

// checkMeanings reports a selection name the detection does not define:
// a typo would silently never apply.
func (r *Rule) checkMeanings() error {
	for i, m := range r.meanings {
		for _, s := range m.selections {
			if _, ok := r.det.searches[s]; !ok {
				return fmt.Errorf("auditchain.matches[%d].selection %q: the detection has no such search", i, s)
			}
		}
	}
	return nil
}

// meaningOf returns the title, why, level and techniques of one match of r: the
// rule's own without a matches: block, else what the matching entries say.
// c is the context the rule matched in; stage is where the match was
// placed; scheduled says a scheduler, not a web server, started the
// process.
func (r *Rule) meaningOf(c *evalCtx, stage Stage, scheduled bool) matchMeaning {
	if !r.perMatch {
		return matchMeaning{title: r.Title, level: r.Level, attack: r.Attack}
	}
	title, level, why := r.Title, r.Level, ""
	titled, leveled := false, false
	var attack []string
	base := true
	var weak weakKinds // what the matched entries show without intent
	intent := false
	var seen []string // what the matched entries' selections saw (shows)
	for _, m := range r.meanings {
		if !m.applies(r, c, stage, scheduled) {
			continue
		}
		if len(m.selections) > 0 && m.shows != "" && !slices.Contains(seen, m.shows) {
			seen = append(seen, m.shows)
		}
		if len(m.selections) > 0 {
			switch m.intent {
			case intentShown:
				intent = true
			case intentStaging, intentNone: // "nothing by itself" is said as staging
				weak |= weakStaging
			case intentDiscovery:
				weak |= weakDiscovery
			case intentWritten:
				weak |= weakWritten
			case intentTransfer:
				weak |= weakTransfer
			case intentCollection:
				weak |= weakCollection
			}
		}
		if m.title != "" && !titled {
			title, titled = m.title, true
		}
		if m.hasLevel && !leveled {
			level, leveled = m.level, true
		}
		if m.why != "" && why == "" {
			why = m.why
		}
		if m.alone {
			return matchMeaning{title, r.withSeen(why, seen), level, slices.Clone(m.attack), weakness(weak, intent)}
		}
		base = base && !m.dropBase
		for _, t := range m.attack {
			if !slices.Contains(attack, t) {
				attack = append(attack, t)
			}
		}
	}
	if !base {
		return matchMeaning{title, r.withSeen(why, seen), level, attack, weakness(weak, intent)}
	}
	out := slices.Clone(r.baseAttack)
	for _, t := range attack {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return matchMeaning{title, r.withSeen(why, seen), level, out, weakness(weak, intent)}
}

// withSeen appends what this match's selections saw to a why, the
// rule's description when no entry gave one.
func (r *Rule) withSeen(why string, seen []string) string {
	if len(seen) == 0 {
		return why
	}
	if why == "" {
		why = r.descWhy
	}
	return strings.TrimRight(why, " ") + " In this command: " + strings.Join(seen, "; ") + "."
}

// weakKinds are the kinds of weak evidence a match's entries show.
type weakKinds uint8

const (
	weakStaging weakKinds = 1 << iota
	weakDiscovery
	weakWritten
	weakTransfer
	weakCollection
)

// weakness is what a match shows alone when none of its entries shows
// intent: "" when one does or nothing graded matched; one kind is said
// as itself, several in the general words (staging).
func weakness(weak weakKinds, intent bool) Shows {
	switch {
	case intent || weak == 0:
		return ""
	case weak == weakWritten:
		return ShowsWritten
	case weak == weakDiscovery:
		return ShowsDiscovery
	case weak == weakTransfer:
		return ShowsTransfer
	case weak == weakCollection:
		return ShowsCollection
	}
	return ShowsStaging
}

// matchMeaning is what one match of a rule says: its title, why it is
// suspicious ("" for the rule's description), level and techniques, and
// what it shows alone when it shows no intent (see intent:).
type matchMeaning struct {
	title  string
	why    string
	level  Severity
	attack []string
	weak   Shows
}

// applies reports whether every condition of the entry holds.
func (m *meaning) applies(r *Rule, c *evalCtx, stage Stage, scheduled bool) bool {
	if m.scheduled && !scheduled {
		return false
	}
	shellless := c.ev.Kind == parser.KindExec && !isShell(c.image())
	if m.shellless && !shellless || m.inShell && shellless {
		return false
	}
	if m.planted && (c.eng == nil || !c.eng.state.adoptedAbove(c.ev.Proc).planted()) {
		return false
	}
	if m.ownChannel && (c.ev.Kind != parser.KindConnect || shellOnSocket(c.ev.Proc)) {
		return false
	}
	if m.stage != 0 && m.stage != stage {
		return false
	}
	if len(m.selections) == 0 {
		return true
	}
	for _, s := range m.selections {
		if sr := r.det.searches[s]; sr != nil && sr.eval(c) {
			return true
		}
	}
	return false
}
