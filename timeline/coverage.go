package timeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// coverage says what the inputs could show. The rules in force come from
// --audit-rules when given (the full rule text), else from the log's own
// CONFIG_CHANGE op=add_rule records. Those carry only the rule's key= and
// list=, not its syscalls or paths, so from a log we infer by key name
// (best-practice rule sets name keys after what they audit: "exec",
// "network_connect_4", "webroot_write", "cron") and say so in Notes. Either
// way, the events themselves prove what was audited: an exec record means
// execve was audited, whatever the rules say.
func (b *Builder) coverage() (Coverage, capabilities) {
	var c Coverage
	var caps capabilities
	syscalls := map[string]bool{}
	switch {
	case b.fileRules != nil:
		r := b.fileRules
		c.RulesSource = "file"
		c.Rules = r.Rules
		c.RuleKeys = append([]string(nil), r.Keys...)
		for _, s := range r.Syscalls {
			syscalls[s] = true
		}
		watches := map[string]bool{}
		for _, w := range r.Watches {
			watches[w.Path] = true
			if !strings.ContainsAny(w.Perms, "wa") && w.Perms != "" {
				continue // read or exec watches show no writes
			}
			switch watchClass(w.Path, b.opts.WebRoots) {
			case "web":
				caps.webWatch = true
			case "persistence":
				caps.persWatch = true
			}
		}
		c.Watches = sortedKeys(watches)
		if r.AllSyscalls {
			caps.exec, caps.connect, caps.accept, caps.fileWrite = true, true, true, true
			c.Notes = append(c.Notes, "an always,exit rule without -S audits every syscall it matches")
		}
		for _, e := range b.ruleErrs {
			c.Notes = append(c.Notes, e.Error()+" (line ignored)")
		}
		if r.Disabled {
			c.Tampering = append(c.Tampering, fmt.Sprintf("%s sets -e 0: auditing is disabled once the rules are loaded", b.opts.AuditRules))
		}
		caps.known = true
	case b.logRules > 0:
		c.RulesSource = "log"
		c.Rules = b.logRules
		c.RuleKeys = sortedKeys(b.logKeys)
		bySys := map[string][]string{}
		var web, pers []string
		for _, k := range c.RuleKeys {
			h := hintOfKey(k)
			if h.syscall != "" {
				syscalls[h.syscall] = true
				bySys[h.syscall] = append(bySys[h.syscall], k)
			}
			switch h.class {
			case "web":
				caps.webWatch = true
				web = append(web, k)
			case "persistence":
				caps.persWatch = true
				pers = append(pers, k)
			}
		}
		lists := sortedKeys(boolSet(b.logLists))
		parts := make([]string, 0, len(lists))
		for _, l := range lists {
			parts = append(parts, fmt.Sprintf("%d on the %s list", b.logLists[l], l))
		}
		c.Notes = append(c.Notes, fmt.Sprintf("%d audit rules were loaded in the log (%s); auditd logs a rule's key and list, not its text, so what they audit is inferred from their keys", b.logRules, strings.Join(parts, ", ")))
		for _, s := range sortedKeys(boolSet(bySys)) {
			c.Notes = append(c.Notes, fmt.Sprintf("%s audited, by the keys %s", s, strings.Join(bySys[s], ", ")))
		}
		if len(web) > 0 {
			c.Notes = append(c.Notes, "web-root writes watched, by the keys "+strings.Join(web, ", "))
		}
		if len(pers) > 0 {
			c.Notes = append(c.Notes, "persistence locations watched, by the keys "+strings.Join(pers, ", "))
		}
		caps.known = true
	default:
		c.Notes = append(c.Notes, "no audit rules known (no CONFIG_CHANGE add_rule records in the log and no --audit-rules file): what was audited is inferred from the events present")
		caps.fromEvents = true
	}
	// The events prove what was audited, whatever the rules say.
	for _, k := range []struct {
		kind parser.Kind
		name string
	}{{parser.KindExec, "execve"}, {parser.KindConnect, "connect"}, {parser.KindAccept, "accept"}} {
		if b.seen[k.kind] {
			if !syscalls[k.name] && c.RulesSource != "" {
				c.Notes = append(c.Notes, fmt.Sprintf("%s records are present although no rule for %s is known", k.name, k.name))
			}
			syscalls[k.name] = true
			caps.known = true
		}
	}
	for s := range syscalls {
		switch s {
		case "execve", "execveat":
			caps.exec = true
		case "connect", "socketcall":
			caps.connect = true
		case "accept", "accept4":
			caps.accept = true
		}
		if writeSyscalls[s] {
			caps.fileWrite = true
		}
	}
	if b.seenWeb {
		caps.webWatch = true
	}
	if b.seenPers {
		caps.persWatch = true
	}
	c.Syscalls = sortedKeys(syscalls)
	c.AccessLog = b.seen[parser.KindHTTP]
	caps.accessLog = c.AccessLog
	if b.dropped > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d events were not kept for linking because a list reached its cap of %d", b.dropped, b.opts.MaxKept))
	}
	if b.acceptsOff > 0 && b.seen[parser.KindHTTP] {
		c.Notes = append(c.Notes, fmt.Sprintf("%d accepts read before the first access-log request were not kept (the inputs were taken for audit logs only): requests are not bounded by them", b.acceptsOff))
	}
	if d := b.workerAccepts.dropped; d > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d accepts of php-fpm workers were not kept (at most %d are): requests served after that are not narrowed by their worker's next accept, which can only leave more of them ambiguous", d, maxWorkerAccepts))
	}
	if b.unnamedDropped > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d execs under a parent not yet named or not yet known as a server were not kept to be judged again (at most %d are): if a worker recognised later spawned them, their requests were not searched and they do not count as its routine", b.unnamedDropped, maxUnnamedParent))
	}
	b.servers(&c, caps)
	c.Clock = b.clockNotes()
	for _, n := range c.Clock {
		c.Notes = append(c.Notes, "clock: "+n)
	}
	c.Notes = append(c.Notes, b.requestTimeNotes()...)
	c.Tampering = append(c.Tampering, b.tamperingNotes()...)
	return c, caps
}

// tamperingNotes merges the observed signs with the runs of removed rules,
// in time order.
func (b *Builder) tamperingNotes() []string {
	for _, k := range b.streamOrder {
		b.serialGaps(k, b.streams[k])
		b.streams[k].forget()
	}
	notes := append([]note(nil), b.tampering...)
	for _, r := range b.removals {
		keys := sortedKeys(r.keys)
		what := fmt.Sprintf("%d audit rule(s) removed", r.count)
		if len(keys) > 0 {
			what += " (keys " + strings.Join(keys, ", ") + ")"
		}
		who := "auid " + r.auid.String()
		if r.ses.Set {
			who += " ses " + r.ses.String()
		}
		tail := "and not re-added: what they audited is missing from then on"
		if r.readded > 0 {
			tail = fmt.Sprintf("then %d added within 10 s (a reload; compare the rules before and after)", r.readded)
		}
		notes = append(notes, note{r.first, fmt.Sprintf("%s%s at %s by %s, %s", hostLabel(r.host), what, stamp(r.first), who, tail)})
	}
	sort.SliceStable(notes, func(i, j int) bool {
		if !notes[i].at.Equal(notes[j].at) {
			return notes[i].at.Before(notes[j].at)
		}
		return notes[i].text < notes[j].text
	})
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = n.text
	}
	return out
}

func boolSet[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
