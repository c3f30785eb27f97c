package timeline

import (
	"net"

	"github.com/auditchain/auditchain/parser"
)

// Logins returns the sshd login and session events the builder kept for
// linking (LOGIN, USER_LOGIN, USER_START with a session), in the order
// observed. The report lists the remote ones so that `auditchain merge`
// can find, on another host's report, the login an ssh client opened.
// The slice is the builder's own: callers read it.
func (b *Builder) Logins() []*parser.Event {
	b.unpackLists()
	return b.logins
}

// Accepts returns the accepts by sshd the builder kept, in the order
// observed: the connection under a login, with the client's port.
func (b *Builder) Accepts() []*parser.Event {
	b.unpackLists()
	return b.accepts
}

// RemoteAddress reports whether a login's or accept's client address is
// another machine's: the report lists only those sessions (report/logins.go),
// so only their record text is kept to quote. A local session (loopback, or
// no address: cron, su) is kept for its fields, to link chains with.
func RemoteAddress(ip string) bool {
	a := net.ParseIP(ip)
	return a != nil && !a.IsLoopback()
}
