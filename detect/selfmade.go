package detect

import "github.com/auditchain/auditchain/parser"

// A process that deletes a file it made itself cleans up after itself: a
// database's rollback journal (sqlite3 makes shop.db-journal at each
// write and removes it at commit), a tool's temporary file, a lock. No
// content anyone else wrote is destroyed, so the deletion rules do not
// take it for destruction (CreatedBySelf). An intruder removing what his
// earlier commands dropped is another process, and is own-file-removed's.

// maxSelfMade bounds the files remembered with the process that created
// them: a busy database makes and removes its journal all day, and only
// the newest creations matter to their own deletion.
const maxSelfMade = 4096

type selfMade struct {
	by    map[writeKey]uint32 // file → Seq of the process that created it
	order []writeKey
}

// note remembers the creator of a file a write made new (its content is
// the process's own).
func (m *selfMade) note(ev *parser.Event) {
	p := ev.Proc
	// a new file, not a new name: shred renames the file it destroys
	// through names it made (0000…, then 0) before it unlinks it
	if p == nil || p.Seq == 0 || ev.Path == "" || ev.Kind != parser.KindFileWrite || !targetCreated(ev) {
		return
	}
	if m.by == nil {
		m.by = map[writeKey]uint32{}
	}
	k := writeKey{ev.Host, ev.Path}
	if _, ok := m.by[k]; !ok {
		if len(m.order) >= maxSelfMade {
			delete(m.by, m.order[0])
			m.order = m.order[1:]
		}
		m.order = append(m.order, k)
	}
	m.by[k] = p.Seq
}

// deletesOwn reports whether a deletion removes a file its own process
// created (and so made no one else's content go).
func (m *selfMade) deletesOwn(ev *parser.Event) bool {
	if ev.Kind != parser.KindUnlink || ev.Proc == nil || ev.Proc.Seq == 0 || m.by == nil {
		return false
	}
	seq, ok := m.by[writeKey{ev.Host, ev.Path}]
	return ok && seq == ev.Proc.Seq
}
