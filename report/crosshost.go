package report

import (
	"cmp"
	"fmt"
	"net"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Lateral movement across hosts: an ssh client in one host's chain and
// the login it opened on another host are in two reports. They are
// matched by address, connection and time:
//
//   - observed: host A's connect to an address of host B (and its port),
//     host B's sshd accept of a connection from an address of host A, and
//     the login that accept carried, within the clock skew: the connection
//     is recorded at both ends;
//   - inferred: an address and the time agree but one end of the
//     connection is not recorded (no accept on B, only the ssh exec on A,
//     or one host's addresses unknown);
//   - ambiguous: several logins (or several clients) fit equally: all are
//     listed and none is linked.
//
// A host's addresses come from --host-addr, or its name when an ssh
// target names it. Time alone never links.

// Cross-host link bases.
const (
	CrossObserved  = "observed"
	CrossInferred  = "inferred"
	CrossAmbiguous = "ambiguous"
)

// DocCrossLink is one ssh session from one merged host into another.
type DocCrossLink struct {
	ID     string       `json:"id"`    // X01 … by time
	Basis  string       `json:"basis"` // observed, inferred or ambiguous
	Reason string       `json:"reason"`
	From   DocCrossEnd  `json:"from"`
	To     *DocCrossEnd `json:"to,omitempty"` // nil when ambiguous
	// Candidates are the logins (or clients) that fit equally, for basis
	// ambiguous.
	Candidates []DocCrossEnd `json:"candidates,omitempty"`
}

// DocCrossEnd is one side of a cross-host link: on the client's host the
// ssh client (Address = where it connected, Account = the account it
// asked for), on the server's host the login (Address = the client's
// address and port, Account = the account logged in, Session).
type DocCrossEnd struct {
	Host       string        `json:"host"`
	Time       time.Time     `json:"time"`
	ChainID    string        `json:"chain_id,omitempty"`
	FindingIDs []string      `json:"finding_ids"`
	PID        int           `json:"pid,omitempty"`
	Address    string        `json:"address,omitempty"`
	Account    string        `json:"account,omitempty"`
	Session    uint32        `json:"session,omitempty"`
	Evidence   []DocEvidence `json:"evidence"`
}

// sshClients are the programs whose connects are remote logins.
var sshClients = []string{"ssh", "scp", "sftp", "rsync", "autossh", "dbclient", "slogin"}

// outbound is one ssh client of a chain: its connect, or only its exec.
type outbound struct {
	end       DocCrossEnd
	chain     int    // index in d.Chains
	ip, name  string // the destination: an address, or a name from the command line
	port      int
	user      string
	connected bool // a connect record, not only the command line
}

// crossMatch is one login that fits an outbound, and how well.
type crossMatch struct {
	login      int // index in d.Logins
	observed   bool
	why        string
	srcChecked bool
}

// linkAcrossHosts finds the ssh clients of d's chains, matches each with
// a login on another merged host, and records the links in the chains
// they join (links, hosts). Unmatched clients toward a merged host, or
// toward an address no host claims, are said in coverage notes.
func linkAcrossHosts(d *Document, o MergeOptions) []DocCrossLink {
	if len(d.Hosts) < 2 {
		return nil
	}
	skew := o.Skew
	if skew <= 0 {
		skew = DefaultSkew
	}
	outs := outbounds(d)
	byID := findingIndex(d)
	var links []DocCrossLink
	claimed := map[int][]int{} // login → links that took it
	for _, ob := range outs {
		dest := destHosts(d, o, ob)
		var ms []crossMatch
		for li := range d.Logins {
			if m, ok := matchLogin(d, o, ob, dest, li, skew); ok {
				ms = append(ms, m)
			}
		}
		if len(ms) == 0 {
			if note := unmatchedNote(ob, dest); note != "" {
				d.Coverage.Notes = append(d.Coverage.Notes, note)
			}
			continue
		}
		if slices.ContainsFunc(ms, func(m crossMatch) bool { return m.observed }) {
			ms = slices.DeleteFunc(ms, func(m crossMatch) bool { return !m.observed })
		}
		x := DocCrossLink{From: ob.end}
		if len(ms) > 1 {
			x.Basis = CrossAmbiguous
			for _, m := range ms {
				x.Candidates = append(x.Candidates, loginEnd(d, byID, m.login))
			}
			x.Reason = fmt.Sprintf("%d logins on other hosts fit the ssh client equally (%s): none is linked", len(ms), ms[0].why)
		} else {
			m := ms[0]
			to := loginEnd(d, byID, m.login)
			x.To = &to
			x.Basis, x.Reason = CrossInferred, m.why
			if m.observed {
				x.Basis = CrossObserved
			}
			claimed[m.login] = append(claimed[m.login], len(links))
		}
		links = append(links, x)
	}
	// one login taken by several clients: none of them is sure
	for li, ks := range claimed {
		if len(ks) < 2 {
			continue
		}
		for _, k := range ks {
			x := &links[k]
			x.Basis, x.Candidates, x.To = CrossAmbiguous, []DocCrossEnd{*x.To}, nil
			x.Reason = fmt.Sprintf("%d ssh clients fit the one login (session %d on %s): none is linked", len(ks), d.Logins[li].Session, HostLabel(d.Logins[li].Host))
		}
	}
	slices.SortStableFunc(links, func(a, b DocCrossLink) int {
		return cmp.Or(a.From.Time.Compare(b.From.Time), strings.Compare(a.From.Host, b.From.Host), cmp.Compare(a.From.PID, b.From.PID))
	})
	for i := range links {
		links[i].ID = fmt.Sprintf("X%02d", i+1)
		applyLink(d, &links[i])
	}
	return links
}

// outbounds lists the ssh clients of every chain: one per connect of an
// ssh client (or to port 22), else one per ssh exec whose process made no
// connect the chain holds. The account comes from the client's command
// line (user@host, -l).
func outbounds(d *Document) []outbound {
	byID := findingIndex(d)
	var out []outbound
	for ci := range d.Chains {
		ch := &d.Chains[ci]
		type pk struct {
			host string
			pid  int
		}
		execs := map[pk]*DocFinding{}
		var conns []*DocFinding
		for _, id := range ch.FindingIDs {
			f := byID[id]
			if f == nil || f.Process == nil {
				continue
			}
			client := slices.Contains(sshClients, path.Base(f.Process.Exe))
			switch {
			case f.Kind == "exec" && client && len(f.Process.Args) > 0:
				if _, ok := execs[pk{f.Host, f.Process.PID}]; !ok {
					execs[pk{f.Host, f.Process.PID}] = f
				}
			case f.Kind == "connect" && f.Peer != "":
				conns = append(conns, f)
			}
		}
		done := map[pk]bool{}
		for _, f := range conns {
			ip, port := splitHostPort(f.Peer)
			n, _ := strconv.Atoi(port)
			ex := execs[pk{f.Host, f.Process.PID}]
			client := slices.Contains(sshClients, path.Base(f.Process.Exe))
			if !client && n != 22 && (ex == nil || sshPort(ex.Process) != n) {
				continue
			}
			if p := net.ParseIP(ip); p == nil || p.IsLoopback() {
				continue
			}
			ob := outbound{chain: ci, ip: ip, port: n, connected: true,
				end: DocCrossEnd{Host: f.Host, Time: f.Time, ChainID: ch.ID, FindingIDs: []string{f.ID}, PID: f.Process.PID,
					Address: f.Peer, Evidence: eventEvidence(f)}}
			if ex != nil {
				ob.user, _ = splitTarget(sshTarget(ex.Process.Args))
				ob.end.FindingIDs = append([]string{ex.ID}, ob.end.FindingIDs...)
				ob.end.Evidence = append(eventEvidence(ex), ob.end.Evidence...)
				done[pk{f.Host, f.Process.PID}] = true
			}
			ob.end.Account = ob.user
			out = append(out, ob)
		}
		for k, ex := range execs {
			if done[k] {
				continue
			}
			user, host := splitTarget(sshTarget(ex.Process.Args))
			if host == "" {
				continue
			}
			ob := outbound{chain: ci, name: host, port: sshPort(ex.Process), user: user,
				end: DocCrossEnd{Host: ex.Host, Time: ex.Time, ChainID: ch.ID, FindingIDs: []string{ex.ID}, PID: ex.Process.PID,
					Address: net.JoinHostPort(host, strconv.Itoa(sshPort(ex.Process))), Account: user, Evidence: eventEvidence(ex)}}
			if net.ParseIP(host) != nil {
				ob.ip, ob.name = host, ""
			}
			out = append(out, ob)
		}
	}
	slices.SortStableFunc(out, func(a, b outbound) int {
		return cmp.Or(a.end.Time.Compare(b.end.Time), strings.Compare(a.end.Host, b.end.Host), cmp.Compare(a.end.PID, b.end.PID))
	})
	return out
}

// sshPort is the port an ssh (-p) or scp (-P) command line connects to.
func sshPort(p *DocProcess) int {
	flag := "-p"
	if path.Base(p.Exe) == "scp" {
		flag = "-P"
	}
	if n, err := strconv.Atoi(flagValue(p.Args, flag)); err == nil && n > 0 {
		return n
	}
	return 22
}

// splitTarget splits user@host; a target without @ has no user.
func splitTarget(t string) (user, host string) {
	if i := strings.LastIndexByte(t, '@'); i >= 0 {
		user, t = t[:i], t[i+1:]
	}
	if i := strings.IndexByte(t, ':'); i >= 0 && net.ParseIP(t) == nil { // scp host:path
		t = t[:i]
	}
	return user, strings.Trim(t, "[]")
}

// destHosts are the merged hosts an outbound's destination names: by an
// address given for the host, or by the host's name.
func destHosts(d *Document, o MergeOptions, ob outbound) []string {
	var out []string
	for _, h := range d.Hosts {
		if h == ob.end.Host {
			continue
		}
		if ob.name != "" && strings.EqualFold(ob.name, h) || ob.ip != "" && slices.Contains(o.HostAddrs[h], ob.ip) {
			out = append(out, h)
		}
	}
	return out
}

// matchLogin decides whether login li fits outbound ob, and how.
func matchLogin(d *Document, o MergeOptions, ob outbound, dest []string, li int, skew time.Duration) (crossMatch, bool) {
	l := &d.Logins[li]
	if l.Host == ob.end.Host {
		return crossMatch{}, false
	}
	if ob.user != "" && l.Account != "" && ob.user != l.Account {
		return crossMatch{}, false
	}
	destOK := slices.Contains(dest, l.Host)
	if len(dest) > 0 && !destOK {
		return crossMatch{}, false // the destination is another host
	}
	srcAddrs, srcKnown := o.HostAddrs[ob.end.Host]
	srcOK := slices.Contains(srcAddrs, l.Address)
	if srcKnown && !srcOK {
		return crossMatch{}, false // the login came from elsewhere
	}
	if !destOK && !srcOK {
		return crossMatch{}, false // time alone never links
	}
	accepted := ob.connected && l.Accepted
	var gap time.Duration
	if accepted {
		gap = l.AcceptTime.Sub(ob.end.Time)
		if gap < -skew || gap > skew {
			return crossMatch{}, false
		}
	} else {
		gap = l.Time.Sub(ob.end.Time)
		if gap < -skew || gap > skew+acceptBefore {
			return crossMatch{}, false
		}
	}
	var said []string
	if destOK {
		said = append(said, fmt.Sprintf("the destination %s is %s's", orDash(cmp.Or(ob.ip, ob.name)), HostLabel(l.Host)))
	} else {
		said = append(said, fmt.Sprintf("the destination %s is not known as %s's (no --host-addr for it)", orDash(cmp.Or(ob.ip, ob.name)), HostLabel(l.Host)))
	}
	if srcOK {
		said = append(said, fmt.Sprintf("the login's client %s is %s's", l.Address, HostLabel(ob.end.Host)))
	} else {
		said = append(said, fmt.Sprintf("the login's client %s is not checked (no address known for %s)", l.Address, HostLabel(ob.end.Host)))
	}
	m := crossMatch{login: li, srcChecked: srcOK}
	switch {
	case accepted && destOK && srcOK:
		m.observed = true
		m.why = fmt.Sprintf("connection recorded at both ends: %s's connect to %s and %s's sshd accept from %s:%d, %s apart (skew allowed %s); %s",
			HostLabel(ob.end.Host), ob.end.Address, HostLabel(l.Host), l.Address, l.Port, gapText(gap), skew, strings.Join(said, "; "))
	case accepted:
		m.why = fmt.Sprintf("connect and accept %s apart, but one address is unconfirmed: %s", gapText(gap), strings.Join(said, "; "))
	case ob.connected:
		m.why = fmt.Sprintf("address and time only: %s has no accept record of the connection, its login follows %s's connect by %s; %s",
			HostLabel(l.Host), HostLabel(ob.end.Host), gapText(gap), strings.Join(said, "; "))
	default:
		m.why = fmt.Sprintf("address and time only: %s's ssh command line (no connect record) and the login %s later; %s",
			HostLabel(ob.end.Host), gapText(gap), strings.Join(said, "; "))
	}
	if ob.user != "" && l.Account == ob.user {
		m.why += fmt.Sprintf("; account %s on both sides", ob.user)
	}
	return m, true
}

func gapText(d time.Duration) string {
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// loginEnd is the login side of a link, with the chain and findings of
// its session on that host when a chain holds them.
func loginEnd(d *Document, byID map[string]*DocFinding, li int) DocCrossEnd {
	l := &d.Logins[li]
	addr := l.Address
	if l.Port > 0 {
		addr = net.JoinHostPort(l.Address, strconv.Itoa(l.Port))
	}
	e := DocCrossEnd{Host: l.Host, Time: l.Time, FindingIDs: []string{}, PID: l.PID, Address: addr,
		Account: l.Account, Session: l.Session, Evidence: l.Evidence}
	for i := range d.Chains {
		ch := &d.Chains[i]
		for _, id := range ch.FindingIDs {
			f := byID[id]
			if f != nil && f.Host == l.Host && f.Process != nil && f.Process.SES == l.Session && f.Process.AUID == l.AUID {
				e.ChainID = cmp.Or(e.ChainID, ch.ID)
				e.FindingIDs = append(e.FindingIDs, id)
			}
		}
	}
	return e
}

// applyLink writes a link into the chains it joins: their links say it,
// their hosts name the other side.
func applyLink(d *Document, x *DocCrossLink) {
	if x.To == nil {
		return
	}
	text := fmt.Sprintf("cross-host %s (%s): ssh by pid %d on %s to %s at %s → session %d (%s) on %s from %s at %s: %s",
		x.ID, x.Basis, x.From.PID, HostLabel(x.From.Host), x.From.Address, x.From.Time.UTC().Format(time.RFC3339Nano),
		x.To.Session, orDash(x.To.Account), HostLabel(x.To.Host), x.To.Address, x.To.Time.UTC().Format(time.RFC3339Nano), x.Reason)
	for i := range d.Chains {
		ch := &d.Chains[i]
		switch ch.ID {
		case x.From.ChainID:
			ch.Links = append(ch.Links, text)
			if !slices.Contains(ch.Hosts, x.To.Host) {
				ch.Hosts = append(ch.Hosts, x.To.Host)
			}
		case x.To.ChainID:
			ch.Links = append(ch.Links, text)
			if !slices.Contains(ch.Hosts, x.From.Host) {
				ch.Hosts = append(ch.Hosts, x.From.Host)
			}
		}
	}
}

// unmatchedNote says why an ssh client of a chain has no cross-host link.
func unmatchedNote(ob outbound, dest []string) string {
	what := fmt.Sprintf("ssh by pid %d on %s (%s) to %s at %s", ob.end.PID, HostLabel(ob.end.Host), ob.end.ChainID,
		ob.end.Address, ob.end.Time.UTC().Format(time.RFC3339Nano))
	if len(dest) > 0 {
		return fmt.Sprintf("%s: no login on %s matches (the login failed, or its log does not cover the time)", what, strings.Join(dest, ", "))
	}
	return fmt.Sprintf("%s: no merged host is known by that address (--host-addr NAME=IP names a host's addresses)", what)
}

// eventEvidence is a finding's own records (role event), for one side of
// a link: the related records stay in the finding.
func eventEvidence(f *DocFinding) []DocEvidence {
	var out []DocEvidence
	for _, e := range f.Evidence {
		if e.Role == "event" || e.Role == "" {
			out = append(out, e)
		}
	}
	return out
}
