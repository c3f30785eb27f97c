package timeline

import "github.com/auditchain/auditchain/parser"

// acceptedLater reports whether the daemon that made accept acc accepted
// another connection after it and before the session process of login g
// appeared: sshd forks a session process per accepted connection, so the
// session belongs to the last accept before that process, and an earlier
// connect (a port probe of 22) did not open it. buf is scratch space.
func acceptedLater(accepts *timeIndex, acc, g *parser.Event, buf *[]int) bool {
	start := g.Time
	if p := g.Proc; p != nil && !p.FirstSeen.IsZero() && p.FirstSeen.Before(start) {
		start = p.FirstSeen
	}
	if !start.After(acc.Time) {
		return false
	}
	*buf = accepts.in(acc.Time, start, *buf)
	for _, i := range *buf {
		x := accepts.ev[i]
		if x != acc && x.Proc == acc.Proc && x.Host == acc.Host && x.Time.After(acc.Time) {
			return true
		}
	}
	return false
}
