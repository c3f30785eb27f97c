package timeline

import (
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Builder collects, while the events stream past, the few things chains
// and coverage need beyond the findings: audit configuration changes,
// daemon records, HTTP requests, logins, web-server execs, file writes,
// connects and accepts. Call Observe for every event in time order, after
// the parser's Tree has observed it (so Event.Proc is set), then Build once.
// A Builder is not safe for concurrent use.
type Builder struct {
	// shells: the shells started in each folder by each account, for
	// linkScriptFamilies' question of who else could have forked a family
	shells shellIndex
	opts   Options
	// detached: linkDetached's shells, shared by one Build's linkers
	detached *detachedShells
	// drops: linkDroppedFiles' writes and made folders, shared likewise
	drops *droppedFiles
	// anchorMemo: the linkers' anchors and ancestry notes, shared likewise
	anchorMemo *anchorMemo
	fileRules  *AuditRules
	ruleErrs   []*parser.Error

	// audit configuration from the log
	logRules  int
	logKeys   map[string]bool
	logLists  map[string]int
	removals  []*removal
	tampering []note // signs found while observing, in time order
	streams   map[streamKey]*streamState
	// lastKey, lastStream: the stream of the previous record, looked up again
	// only when the stream changes
	lastKey    streamKey
	lastStream *streamState
	// access lines whose container-log wrapper time disagrees (clock.go)
	wrapperSkews int
	wrapperMax   time.Duration
	streamOrder  []streamKey           // first-seen order, for deterministic notes
	seen         [parser.NumKinds]bool // kinds of events seen (auditd records, and KindHTTP)
	seenWeb      bool                  // a write under a web root was recorded
	seenPers     bool                  // a write to a persistence location was recorded

	requests   []*parser.Event            // KindHTTP that may have run code
	namedLogs  map[string]map[string]bool // host → server kinds its access-log files name (logsNamed)
	logServers map[string]string          // access-log file → the server kind its path names (logServerOf)
	// frontServed: the routes the front server answers itself, for rule
	// 5g's count (reqfront.go), read once
	frontServed frontVerdicts
	webExecs    []*parser.Event // execs of processes whose parent is a web server
	// unnamedParent are execs whose parent was known only by its pid when
	// they came: a web server's, if its own records later say so
	unnamedParent  []*parser.Event
	unnamedDropped int // execs not kept aside: the list was full
	// earlyExecs are the first children of parents that may be
	// recognised as servers later, and earlyKids counts them per parent
	// (earlyChild)
	earlyExecs []*parser.Event
	earlyKids  map[parser.ProcKey]uint8
	early      earlyState      // the two lists' execs let go once judged (earlyrelease.go)
	cgiExecs   []*parser.Event // a web server's per-request CGI programs (reqcgi.go)
	fileOps    []*parser.Event // file writes/renames, and unlinks/chmods under web roots
	connects   []*parser.Event // inet connects
	// serverPeers: the (server process, address) pairs whose first
	// connect keeps its record text, for serverfetch.go to quote
	serverPeers map[serverPeer]bool
	// serverPollers: the server processes polling an address new to them
	// since the intrusion (serverpoll.go), for placeBeaconTasks
	serverPollers map[parser.ProcKey]beaconPoll
	// serverStarts: the exec that started each web server process seen
	// starting (by name when it started), up to maxServerStarts, its text
	// kept: a restart after a plant is where the plant fired (serverpoll.go)
	serverStarts map[parser.ProcKey]*parser.Event
	// serverSSHText counts the servers' own ssh connects whose text is
	// kept, up to maxServerSSHText (serverfetch.go)
	serverSSHText int
	// sessionCmds: for the sessions ssh logins opened, the template of the
	// first command the account ran in each ("" until one runs), up to
	// maxSessionCmds sessions (serverssh.go)
	sessionCmds map[sessKey]string
	// serverWrites counts the web server processes' own file writes whose
	// record text is kept (traversalwrite.go), up to maxServerWrites
	serverWrites  int
	accepts       []*parser.Event          // accepts by sshd
	workerAccepts workerAccepts            // accept times of php-fpm workers (reqworker.go)
	logins        []*parser.Event          // sshd LOGIN/USER_LOGIN/USER_START with a session
	crontabs      []*parser.Event          // execs of crontab(1): a user crontab installed
	cronChanged   map[string]time.Time     // host → its first change of a cron file or crontab (routinejob.go)
	sshLinks      sshLinks                 // what an ssh client's connect needs kept past the repeat bound (sshkeep.go)
	spans         map[string]*[2]time.Time // host → first and last event time (routine.go)
	logged        map[string]loggedVerdict // access-log file → what its times mean (reqlogged.go); nil until asked
	dropped       int                      // events not kept because a list was full
	repeats       repeatBound              // events not kept because their act repeats (repeats.go)
	kept          int                      // events kept in the lists
	added         int                      // events ever added to them (kept, less those thin let go)
	refusals      map[hostPID]refusal      // identity programs refused (refused.go)
	refusalOrder  []hostPID
	events        int
	cfgFields     map[string]string // config's fields of the record at hand, reused
	// acceptsOff counts the accepts not kept in workerAccepts while no
	// request was to come (Options.NoRequests)
	acceptsOff int

	// the lists' events while the log is read (keptlists.go)
	held    map[*[]*parser.Event]*[]keptEntry
	store   parser.EventStore
	freshEv *parser.Event      // the event the Observe at hand kept
	fresh   []*[]*parser.Event // the lists it went to

	// receivedLines: some request line's format says it logs the receive
	// time (HTTPRequest.ReceiveTime); set with logged (reqlogged.go)
	receivedLines bool
	// logEdits: execs that edited an access log (reqedit.go)
	logEdits []logEdit
	// maxLate: the most any access log's end may lie past its logged
	// second (a cached clock, laggingClock); set with logged
	maxLate time.Duration
}

// note is a sentence about the evidence, stamped for ordering.
type note struct {
	at   time.Time
	text string
}

type streamKey struct{ host, file string }

// streamState follows the serials and times of one host's records in one
// input. Serials are taken when an event's first record is made, and a
// long syscall (a blocking accept) is written long after, so they arrive out
// of order: gaps are judged on the set of serials seen, at the end, and a
// restart only when a lower serial comes with a later time.
type streamState struct {
	last      time.Time
	maxSerial uint64
	maxAt     time.Time // time of the event with maxSerial
	serialSet
	firstPos string // where the stream's current boot begins
	gapsFrom uint64 // serials below this belong to an earlier boot
}

// serialSet is what serialGaps needs of the serials one stream's records
// carried: the runs of serials with no gap longer than tol between two
// serials seen (tol is Options.SerialGap, so each gap between two runs is
// one the report names), and for each run the earliest time among its
// serials in the 64-serial block of its first and of its last serial (a
// gap is reported with the earliest time of the block holding the serial
// after it, as when the set was kept block by block). It grows with the
// gaps, not with the log: one run holds a whole boot of a stream whose
// records arrive in order or nearly (a 5 GB pid-repeating log kept 3.4 MB
// of blocks of 64 serials, one run here). Serials out of order fall in a
// run, extend one, join two, or start one where they fall.
type serialSet struct {
	runs []serialRun // sorted by lo, disjoint, more than tol apart
	tol  uint64
}

// serialRun is the serials lo..hi, some seen, none of the gaps between
// those seen longer than the set's tol; head and tail are the earliest
// times among its serials seen in block lo>>6 and in block hi>>6.
type serialRun struct {
	lo, hi     uint64
	head, tail time.Time
}

func (st *serialSet) see(serial uint64, at time.Time) {
	rs := st.runs
	// the common case: at or past the end of the last run
	i := len(rs)
	if i == 0 || serial < rs[i-1].lo {
		i = sort.Search(len(rs), func(k int) bool { return rs[k].lo > serial })
	}
	// rs[i-1] is the last run starting at or below serial (i-1 < 0: none)
	if i > 0 && serial <= rs[i-1].hi {
		r := &rs[i-1]
		if serial>>6 == r.lo>>6 && at.Before(r.head) {
			r.head = at
		}
		if serial>>6 == r.hi>>6 && at.Before(r.tail) {
			r.tail = at
		}
		return
	}
	joinPrev := i > 0 && serial-rs[i-1].hi-1 <= st.tol
	joinNext := i < len(rs) && rs[i].lo-serial-1 <= st.tol
	switch {
	case joinPrev && joinNext:
		a, b := rs[i-1], rs[i]
		m := serialRun{lo: a.lo, hi: b.hi, head: a.head, tail: b.tail}
		if serial>>6 == m.lo>>6 && at.Before(m.head) {
			m.head = at
		}
		if b.lo>>6 == m.lo>>6 && b.head.Before(m.head) {
			m.head = b.head
		}
		if serial>>6 == m.hi>>6 && at.Before(m.tail) {
			m.tail = at
		}
		if a.hi>>6 == m.hi>>6 && a.tail.Before(m.tail) {
			m.tail = a.tail
		}
		rs[i-1] = m
		st.runs = append(rs[:i], rs[i+1:]...)
	case joinPrev:
		r := &rs[i-1]
		if serial>>6 == r.hi>>6 {
			if at.Before(r.tail) {
				r.tail = at
			}
		} else {
			r.tail = at
		}
		if serial>>6 == r.lo>>6 && at.Before(r.head) {
			r.head = at
		}
		r.hi = serial
	case joinNext:
		r := &rs[i]
		if serial>>6 == r.lo>>6 {
			if at.Before(r.head) {
				r.head = at
			}
		} else {
			r.head = at
		}
		if serial>>6 == r.hi>>6 && at.Before(r.tail) {
			r.tail = at
		}
		r.lo = serial
	default:
		st.runs = slices.Insert(rs, i, serialRun{lo: serial, hi: serial, head: at, tail: at})
	}
}

// firstOf returns the earliest time among the serials seen in the block of
// run i's first serial: its own, and those of the runs before it that end
// in that block and after it that begin there (only when tol is below a
// block).
func (st *serialSet) firstOf(i int) time.Time {
	r := st.runs[i]
	at := r.head
	for j := i - 1; j >= 0 && st.runs[j].hi>>6 == r.lo>>6; j-- {
		if p := st.runs[j]; p.tail.Before(at) {
			at = p.tail
		}
	}
	for j := i + 1; j < len(st.runs) && st.runs[j].lo>>6 == r.lo>>6; j++ {
		if n := st.runs[j]; n.head.Before(at) {
			at = n.head
		}
	}
	// as the blocks kept it: Unix nanoseconds in UTC, when they hold it
	if n := at.UnixNano(); time.Unix(0, n).Equal(at) {
		return time.Unix(0, n).UTC()
	}
	return at
}

// forget drops the serials seen so far (a reboot started them again, or
// the gaps were reported).
func (st *serialSet) forget() {
	st.runs = nil
}

// removal is a run of CONFIG_CHANGE op=remove_rule records.
type removal struct {
	host        string
	first, last time.Time
	count       int
	keys        map[string]bool
	auid, ses   parser.ID
	readded     int
}

// NewBuilder returns a Builder. It reads opts.AuditRules when set; a file
// that cannot be opened is an error (the analyst named it), lines that
// cannot be read are kept as notes in the Coverage and skipped.
func NewBuilder(opts Options) (*Builder, error) {
	b := &Builder{
		opts:     opts.withDefaults(),
		logKeys:  map[string]bool{},
		logLists: map[string]int{},
		streams:  map[streamKey]*streamState{},
		repeats:  newRepeatBound(opts.MaxRepeats, opts.MaxLinkEvents),
	}
	if opts.AuditRules != "" {
		f, err := os.Open(opts.AuditRules)
		if err != nil {
			return nil, fmt.Errorf("--audit-rules: %w (give the audit.rules file of the evidence)", err)
		}
		defer f.Close()
		b.fileRules, b.ruleErrs = ParseAuditRules(opts.AuditRules, f)
	}
	return b, nil
}

// Observe records what later stages need from one event. It keeps
// pointers to a bounded number of events and does constant work per event.
// kept says whether it kept ev: a caller done with ev otherwise may then
// let its record text go (parser.Event.Compact); the timeline reads only
// the fields of the events it keeps, and marks those whose text a report
// quotes.
func (b *Builder) Observe(ev *parser.Event) (kept bool) {
	if ev == nil {
		return false
	}
	b.settle() // every consumer has seen the previous event
	b.earlySee(ev)
	n := b.added
	b.events++
	b.seeSpan(ev)
	if ev.Source == parser.FormatAuditd {
		b.stream(ev)
		if ev.Kind != parser.KindOther && ev.Kind != parser.KindConfig && ev.Kind != parser.KindDaemon && int(ev.Kind) < len(b.seen) {
			b.seen[ev.Kind] = true
		}
	}
	if ev.Source == parser.FormatAuditd && !ev.Success && ev.RecordType != "" && ev.RecordType[0] == 'U' {
		b.noteRefusal(ev) // USER_CMD, USER_AUTH …: refused.go
	}
	switch ev.Kind {
	case parser.KindConfig:
		b.config(ev)
	case parser.KindDaemon:
		b.daemon(ev)
	case parser.KindHTTP:
		b.seen[parser.KindHTTP] = true
		// a request where none was to come: the accepts are kept from
		// now on, and the coverage says how many before it were not
		b.opts.NoRequests = false
		if wt, ok := parser.WrapperTime(ev); ok {
			b.wrapperSkews++
			if d := abs(wt.Sub(ev.Time)); d > b.wrapperMax {
				b.wrapperMax = d
			}
		}
		if ev.HTTP != nil && mayRunCode(ev.HTTP) {
			if b.keep(&b.requests, ev) {
				ev.Retain(parser.KeepText) // a chain's report quotes its requests
			}
		}
	case parser.KindExec:
		p := ev.Proc
		b.shells.note(ev)
		if len(b.sessionCmds) > 0 && ev.SES.Set && ev.AUID.Set && ev.UID.Set && ev.UID.N == ev.AUID.N && !ev.Failed() {
			// the account's own first command in a session a login opened
			// (sshd's root work for the login runs first, as root)
			k := sessKey{ev.Host, ev.AUID.N, ev.SES.N}
			if cmd, ok := b.sessionCmds[k]; ok && cmd == "" {
				b.sessionCmds[k] = commandTemplate(ev.Args)
			}
		}
		if p != nil && !ev.Failed() && len(b.serverStarts) < maxServerStarts && b.opts.isWebServer(p) {
			if b.serverStarts == nil {
				b.serverStarts = map[parser.ProcKey]*parser.Event{}
			}
			if _, ok := b.serverStarts[p.Key]; !ok {
				b.serverStarts[p.Key] = ev
				ev.Retain(parser.KeepText) // quoted by a plant-fired finding
			}
		}
		if p != nil && p.Parent != nil && b.opts.isWebServer(p.Parent) && !b.opts.isWebServer(p) && !ev.Failed() {
			b.keep(&b.webExecs, ev)
		} else if p != nil && p.Parent != nil && unnamed(p.Parent) && !ev.Failed() &&
			b.opts.Servers.IsWebAccount(ev.Host, ev.User, ev.UID) {
			// the parent is known only by its pid so far: a worker whose
			// first audited record comes after its child's exec. Judged
			// again when requests are matched (laterWebExecs). Only a web
			// account's execs can be a worker's children, which keeps
			// this list to a few: every cron job and daemon child of a
			// busy log has an unnamed parent too.
			if b.heldLen(&b.unnamedParent) < maxUnnamedParent {
				if b.keep(&b.unnamedParent, ev) {
					b.keepEarly(&b.unnamedParent, p)
				}
				p.Parent.Pin()
			} else {
				b.unnamedDropped++ // said in the coverage (coverage.go)
			}
		} else if p != nil && p.Parent != nil && b.earlyChild(p) && !ev.Failed() {
			// the parent may be recognised as a server later (its first
			// bind or accept comes after this child): the first few
			// children of each such parent wait to be judged again, in a
			// list of their own (a busy host's many parents must not
			// crowd out the workers' children above)
			if b.heldLen(&b.earlyExecs) < maxUnnamedParent {
				if b.keep(&b.earlyExecs, ev) {
					b.keepEarly(&b.earlyExecs, p)
				}
				p.Parent.Pin()
			} else {
				b.unnamedDropped++
			}
		}
		if p != nil && p.Parent != nil && b.opts.isWebServer(p.Parent) && b.opts.isWebServer(p) && !ev.Failed() && cgiScript(ev) != "" {
			b.keep(&b.cgiExecs, ev)
		}
		if path.Base(ev.Exe) == "crontab" && !ev.Failed() {
			b.keep(&b.crontabs, ev)
			if crontabInstalls(ev.Args) {
				b.noteCronChange(ev)
			}
		}
		if len(b.logEdits) < maxLogEdits && !ev.Failed() {
			if e, ok := accessLogEdit(ev); ok {
				b.logEdits = append(b.logEdits, e)
			}
		}
	case parser.KindFileWrite, parser.KindRename:
		if ev.Path != "" && !ev.Failed() {
			if b.keep(&b.fileOps, ev) {
				b.keepServerWrite(ev)
			}
			if b.opts.inWebRoot(ev.Path) {
				b.seenWeb = true
			}
			if watchClass(ev.Path, nil) == "persistence" {
				b.seenPers = true
			}
			if cronFile(ev.Path) {
				b.noteCronChange(ev)
			}
		}
	case parser.KindUnlink, parser.KindChmod:
		if ev.Path != "" && !ev.Failed() && b.opts.inWebRoot(ev.Path) {
			b.keep(&b.fileOps, ev)
		}
	case parser.KindConnect:
		if (ev.Peer.Family == "inet" || ev.Peer.Family == "inet6") && !ev.Failed() && b.keep(&b.connects, ev) {
			b.keepServerPeer(ev)
		}
		b.noteSSHConnect(ev)
	case parser.KindAccept:
		if b.opts.NoRequests {
			b.acceptsOff++ // read by request matching only (Options.NoRequests)
		} else {
			b.workerAccepts.see(ev, &b.opts)
		}
		if isSSHD(ev.Proc) || path.Base(ev.Exe) == "sshd" {
			if b.sshLinkable(ev) {
				b.keepLinkable(&b.accepts, ev)
			} else if b.keep(&b.accepts, ev) && RemoteAddress(ev.Peer.IP) {
				ev.Retain(parser.KeepText) // quoted in the report's logins (report/logins.go)
			}
		}
	case parser.KindLogin, parser.KindSession:
		if ev.RecordType == "LOGIN" && ev.SES.Set && ev.AUID.Set && len(b.sessionCmds) < maxSessionCmds {
			if b.sessionCmds == nil {
				b.sessionCmds = map[sessKey]string{}
			}
			if _, ok := b.sessionCmds[sessKey{ev.Host, ev.AUID.N, ev.SES.N}]; !ok {
				b.sessionCmds[sessKey{ev.Host, ev.AUID.N, ev.SES.N}] = ""
			}
		}
		if ev.SES.Set && ev.AUID.Set && (path.Base(ev.Exe) == "sshd" || isSSHD(ev.Proc) || ev.RecordType == "LOGIN") {
			if b.loginLinkable(ev) {
				b.keepLinkable(&b.logins, ev)
			} else if b.keep(&b.logins, ev) && RemoteAddress(ev.Peer.IP) {
				ev.Retain(parser.KeepText) // quoted in the report's logins (report/logins.go)
			}
		}
	}
	return b.added > n
}

func (b *Builder) tamper(at time.Time, text string) {
	b.tampering = append(b.tampering, note{at, text})
}

// keep appends ev to list unless a bound says no, and reports whether it
// did.
func (b *Builder) keep(list *[]*parser.Event, ev *parser.Event) bool {
	if b.heldLen(list) >= b.opts.MaxKept {
		b.dropped++
		return false
	}
	if b.repeated(list, ev) {
		return false
	}
	if b.opts.PackKept {
		b.hold(list, ev)
	} else {
		*list = append(*list, ev)
	}
	b.kept++
	b.added++
	ev.Retain(parser.KeepFields) // kept to the end, for linking
	return true
}

// mayRunCode reports whether a request could have run code on the server:
// static files served with success do not, unless an application's worker
// is named as serving it (its log's pid=: the application made the .pdf),
// or the log gives it a duration no file takes to send (madeSlowly).
func mayRunCode(r *parser.HTTPRequest) bool {
	if r.Method != "GET" && r.Method != "HEAD" || r.Query != "" || r.Status >= 400 || r.WorkerPID != 0 || madeSlowly(r) {
		return true
	}
	return !staticExt[strings.ToLower(path.Ext(r.Path))]
}

// fileServeTime is longer than a server takes to send a file from disk:
// a static-looking request (/route/101/card.pdf) the log says took longer
// was made by the application (benign-cragboard: each card rendered by a
// forked node worker in 170-380 ms, while Apache sent its .css and photos
// in under 2). Dropping such a request took the cause away from its
// worker's exec, and the request beside it was named instead (41 wrong
// links). A large file sent to a slow client takes as long; it is then
// one more candidate, and two that fit make a link ambiguous, not wrong.
const fileServeTime = 100 * time.Millisecond

// madeSlowly reports whether the log gives the request a duration of at
// least fileServeTime.
func madeSlowly(r *parser.HTTPRequest) bool {
	return r.HasDuration && r.Duration >= fileServeTime
}

// stream checks the continuity of one host's records in one input: a long
// silence or missing serials may mean deleted records. DAEMON_* records
// have auditd's own serial counter and are left out.
func (b *Builder) stream(ev *parser.Event) {
	if ev.Serial == 0 || strings.HasPrefix(ev.RecordType, "DAEMON_") {
		return
	}
	k := streamKey{ev.Host, ev.FirstEvidence().Pos.File}
	st := b.lastStream
	if st == nil || k != b.lastKey { // records come in runs of one stream
		st = b.streams[k]
		b.lastKey, b.lastStream = k, st
	}
	if st == nil {
		st = &streamState{last: ev.Time, maxSerial: ev.Serial, maxAt: ev.Time}
		st.forget()
		st.tol = b.opts.SerialGap
		b.streams[k] = st
		b.lastStream = st
		b.streamOrder = append(b.streamOrder, k)
		st.see(ev.Serial, ev.Time)
		return
	}
	if d := ev.Time.Sub(st.last); d > b.opts.SilenceGap {
		b.tamper(ev.Time, fmt.Sprintf("%s%s: no audit records for %s between %s and %s (%s): records may have been deleted or auditing stopped",
			hostLabel(ev.Host), k.file, roundDur(d), stamp(st.last), stamp(ev.Time), positionOf(ev)))
	}
	switch {
	case ev.Serial*2 < st.maxSerial && st.maxSerial-ev.Serial > b.opts.SerialGap && ev.Time.After(st.maxAt):
		// The kernel's counter starts again only at a reboot. A blocking
		// syscall (accept) is logged with the serial it took when it
		// began, so serials a few hundred lower than the highest are
		// normal; a reboot falls back to near the start.
		b.tamper(ev.Time, fmt.Sprintf("%s%s: audit serials restart at %d after %d at %s (%s): a reboot",
			hostLabel(ev.Host), k.file, ev.Serial, st.maxSerial, stamp(ev.Time), positionOf(ev)))
		b.serialGaps(k, st)
		st.maxSerial, st.maxAt = ev.Serial, ev.Time
		st.forget()
	case ev.Serial > st.maxSerial:
		st.maxSerial, st.maxAt = ev.Serial, ev.Time
	}
	st.see(ev.Serial, ev.Time)
	if ev.Time.After(st.last) {
		st.last = ev.Time
	}
}

// serialGaps reports the runs of serials that no record of a stream
// carries, longer than Options.SerialGap: records deleted, or lost by the
// kernel (backlog overflow). Serials consumed by excluded events are never
// written, so small gaps are normal and left alone.
func (b *Builder) serialGaps(k streamKey, st *streamState) {
	reported := 0
	for i := 1; i < len(st.runs); i++ {
		prev, s := st.runs[i-1].hi, st.runs[i].lo
		if s > prev+1+b.opts.SerialGap {
			if reported < 10 {
				at := st.firstOf(i)
				b.tamper(at, fmt.Sprintf("%s%s: audit serials %d to %d missing (%d records) before %s: records deleted or lost (or a large volume of events excluded by never-rules)",
					hostLabel(k.host), k.file, prev+1, s-1, s-prev-1, stamp(at)))
			}
			reported++
		}
	}
	if reported > 10 {
		b.tamper(st.last, fmt.Sprintf("%s%s: %d more gaps in the audit serials", hostLabel(k.host), k.file, reported-10))
	}
}

// config reads a CONFIG_CHANGE record: rules added (coverage) and removed,
// auditing disabled (tampering).
func (b *Builder) config(ev *parser.Event) {
	// one map for every record: a day's log loads its rules at each
	// boot and auditd restart, tens of thousands of records on a busy
	// archive
	clear(b.cfgFields)
	b.cfgFields = rawFieldsInto(b.cfgFields, ev.FirstEvidence().Raw)
	f := b.cfgFields
	op := f["op"]
	if op == "" {
		op = ev.Op
	}
	key := f["key"]
	if key == "" {
		key = ev.Key
	}
	if key == "(null)" || key == "(none)" {
		key = ""
	}
	list := f["list"]
	// user-space records nest auid/ses; CONFIG_CHANGE has them plain, and
	// the raw text is the authority when the event lacks them
	auid, ses := ev.AUID, ev.SES
	if !auid.Set {
		auid = idField(f["auid"])
	}
	if !ses.Set {
		ses = idField(f["ses"])
	}
	switch op {
	case "add_rule":
		if f["res"] == "0" {
			return
		}
		b.logRules++
		if key != "" {
			for _, k := range strings.Split(key, ",") {
				b.logKeys[k] = true
			}
		}
		b.logLists[listName(list)]++
		for _, r := range b.removals {
			if r.host == ev.Host && ev.Time.Sub(r.last) <= 10*time.Second && !ev.Time.Before(r.first) {
				r.readded++
			}
		}
	case "remove_rule":
		if f["res"] == "0" {
			return
		}
		if n := len(b.removals); n > 0 {
			r := b.removals[n-1]
			if r.host == ev.Host && ev.Time.Sub(r.last) <= 2*time.Second && r.auid == auid && r.ses == ses && r.readded == 0 {
				r.count++
				r.last = ev.Time
				if key != "" {
					r.keys[key] = true
				}
				return
			}
		}
		r := &removal{host: ev.Host, first: ev.Time, last: ev.Time, count: 1, keys: map[string]bool{}, auid: auid, ses: ses}
		if key != "" {
			r.keys[key] = true
		}
		b.removals = append(b.removals, r)
	default:
		if v, ok := f["audit_enabled"]; ok && v == "0" && f["res"] != "0" {
			byWho := *ev // a copy: the event itself is not ours to change
			byWho.AUID, byWho.SES = auid, ses
			who := actor(&byWho)
			b.tamper(ev.Time, fmt.Sprintf("%sauditing disabled (audit_enabled=0) at %s by %s (%s)",
				hostLabel(ev.Host), stamp(ev.Time), who, positionOf(ev)))
		}
	}
}

// daemon reads DAEMON_* records: a stop or abort is a sign of tampering
// (or a shutdown), a start after one tells how long the gap lasted.
func (b *Builder) daemon(ev *parser.Event) {
	switch ev.RecordType {
	case "DAEMON_END", "DAEMON_ABORT", "SERVICE_STOP":
		b.tamper(ev.Time, fmt.Sprintf("%saudit daemon stopped (%s) at %s by %s (%s): nothing was logged until it started again",
			hostLabel(ev.Host), ev.RecordType, stamp(ev.Time), actor(ev), positionOf(ev)))
	case "DAEMON_ERR", "DAEMON_RESUME":
		b.tamper(ev.Time, fmt.Sprintf("%saudit daemon %s at %s (%s): records may be missing around it",
			hostLabel(ev.Host), strings.ToLower(strings.TrimPrefix(ev.RecordType, "DAEMON_")), stamp(ev.Time), positionOf(ev)))
	}
}

// rawFields returns the key=value fields of the first record of raw, the
// user-space msg='…' fields included, up to the ENRICHED separator. Only
// used for the rare CONFIG_CHANGE records, whose fields the parser does not
// all keep.
func rawFields(raw string) map[string]string { return rawFieldsInto(map[string]string{}, raw) }

// rawFieldsInto is rawFields into out (made when nil), which it returns.
func rawFieldsInto(out map[string]string, raw string) map[string]string {
	if out == nil {
		out = map[string]string{}
	}
	if i := strings.IndexByte(raw, '\n'); i >= 0 {
		raw = raw[:i]
	}
	if i := strings.IndexByte(raw, 0x1d); i >= 0 {
		raw = raw[:i]
	}
	if i := strings.Index(raw, "): "); i >= 0 {
		raw = raw[i+3:]
	}
	for raw != "" {
		raw = strings.TrimLeft(raw, " '")
		eq := strings.IndexByte(raw, '=')
		if eq <= 0 {
			break
		}
		k := raw[:eq]
		raw = raw[eq+1:]
		var v string
		if raw != "" && (raw[0] == '"' || raw[0] == '\'') {
			q := raw[0]
			end := strings.IndexByte(raw[1:], q)
			if end < 0 {
				v, raw = raw[1:], ""
			} else {
				v, raw = raw[1:1+end], raw[2+end:]
			}
		} else {
			end := strings.IndexAny(raw, " '")
			if end < 0 {
				end = len(raw)
			}
			v, raw = raw[:end], raw[end:]
		}
		if k == "msg" {
			continue
		}
		if _, dup := out[k]; !dup {
			out[k] = v
		}
	}
	return out
}

// idField reads an audit id field ("4294967295" and "-1" are unset).
func idField(v string) parser.ID {
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return parser.ID{}
	}
	return parser.NewID(uint32(n))
}

// listName names an audit filter list number as auditctl does.
func listName(n string) string {
	switch n {
	case "0":
		return "user"
	case "1":
		return "task"
	case "2":
		return "entry"
	case "4":
		return "exit"
	case "5":
		return "exclude"
	case "6":
		return "filesystem"
	case "7":
		return "io_uring"
	case "":
		return "unknown"
	}
	return "list " + n
}

func actor(ev *parser.Event) string {
	s := "auid " + ev.AUID.String()
	if ev.AUser != "" {
		s = "auid " + ev.AUser
	}
	if ev.SES.Set {
		s += " ses " + ev.SES.String()
	}
	if ev.PID > 0 {
		s += fmt.Sprintf(" pid %d", ev.PID)
	}
	return s
}

func hostLabel(h string) string {
	if h == "" {
		return ""
	}
	return h + ": "
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func roundDur(d time.Duration) string { return d.Round(time.Second).String() }

// positionOf names the record of an event: file:line and the serial.
func positionOf(ev *parser.Event) string {
	e := ev.FirstEvidence()
	return positionAt(e.Pos, e.Serial)
}

// positionAt is positionOf of an event's first record.
func positionAt(pos parser.Pos, serial uint64) string {
	s := pos.String()
	if serial != 0 {
		if s != "" && s != "-" {
			s += ", "
		} else {
			s = ""
		}
		s += fmt.Sprintf("serial %d", serial)
	}
	if s == "" {
		return "no position"
	}
	return s
}

// tamperingFindings picks out the findings about the evidence itself; one
// the intruder's own process made (placed on a stage) stays chainable too.
func tamperingFindings(fs []*detect.Finding) (chainable, tampering []*detect.Finding) {
	for _, f := range fs {
		if f == nil {
			continue
		}
		if f.Tampering {
			tampering = append(tampering, f)
		}
		if !f.Tampering || f.Stage != detect.StageNone {
			// an intruder's own tampering is also an act of the chain
			chainable = append(chainable, f)
		}
	}
	return chainable, tampering
}

// maxUnnamedParent bounds the execs kept aside for a parent named later.
const maxUnnamedParent = 4096

// Children kept aside per parent not (yet) known as a server, and how
// many such parents are counted: enough to establish what the server
// ran before it was recognised (routine.go needs routineMinBefore runs).
const (
	maxEarlyPerParent = 8
	maxEarlyParents   = 4096
)

// earlyChild reports whether p's exec is kept aside because its parent,
// not a web server yet (or known only by its pid), may become one: an
// unprivileged process that is no shell and no service (their children are every
// login's and job's commands, and stay with them), and one of the first
// maxEarlyPerParent children of that parent.
func (b *Builder) earlyChild(p *parser.Process) bool {
	pp := p.Parent
	uid := pp.UID
	if unnamed(pp) {
		uid = p.UID // a worker's children run as its account
	}
	if !uid.Set || uid.N == 0 {
		return false
	}
	// the count first: a parent past its bound is asked nothing more (the
	// name tests below run on every exec of a busy host otherwise)
	n, ok := b.earlyKids[pp.Key]
	if !ok && len(b.earlyKids) >= maxEarlyParents || n >= maxEarlyPerParent {
		return false
	}
	if isShellProc(pp) || b.opts.isService(pp) || b.opts.isWebServer(p) {
		return false
	}
	if b.earlyKids == nil {
		b.earlyKids = map[parser.ProcKey]uint8{}
	}
	b.earlyKids[pp.Key] = n + 1
	return true
}

// unnamed reports whether a process is known only by its pid so far.
func unnamed(p *parser.Process) bool {
	return p.Placeholder || p.Exe == "" && p.Comm == "" && len(p.Execs) == 0
}

// laterWebExecs adds to the web-server execs those whose parent was
// unnamed when they came and is now known to be a web server: a php-fpm
// worker whose first audited record is written after its child's exec
// (benign-day, webshell-classic). webExecs stays in time order.
func (b *Builder) laterWebExecs() {
	added := false
	for _, ev := range append(b.unnamedParent, b.earlyExecs...) {
		p := ev.Proc
		if p != nil && p.Parent != nil && b.opts.isWebServer(p.Parent) && !b.opts.isWebServer(p) {
			b.webExecs = append(b.webExecs, ev)
			added = true
		}
	}
	b.unnamedParent, b.earlyExecs = nil, nil
	if added {
		sort.SliceStable(b.webExecs, func(i, j int) bool { return b.webExecs[i].Time.Before(b.webExecs[j].Time) })
	}
}
