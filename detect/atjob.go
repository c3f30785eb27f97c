package detect

import (
	"path"
	"slices"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A job queued with at runs later below atd, as the account that queued
// it, with nothing in its ancestry leading back to the command that
// queued it: atd reads the job from its spool and hands it to a shell.
// atd runs nothing but queued jobs, so a shell it starts as an account
// after a command acting for the intrusion queued a job as that account
// is taken as that job firing (inferred, and said so): each queued job
// fires once, so each queue entry is used once, the oldest first. An
// administrator's job queued as the same account before the intruder's
// and run after it would be taken for the intruder's; the reason says
// what the link rests on.

const maxAtQueued = 64

type atQueued struct {
	host string
	uid  uint32
	at   time.Time
	web  *parser.Process
}

// noteAtQueue remembers a job queued by a command acting for the
// intrusion (crontab-by-web-user's at form).
func (s *state) noteAtQueue(f *Finding, web *parser.Process) {
	if f == nil || web == nil || f.Event == nil || f.Event.Kind != parser.KindExec || f.Event.Failed() || !f.Event.UID.Set ||
		!slices.Contains(f.RuleIDs, "crontab-by-web-user") {
		return
	}
	if b := path.Base(f.Event.Exe); b != "at" && b != "batch" {
		return
	}
	if len(s.atQueue) >= maxAtQueued {
		s.atQueue[0].web.Unpin()
		s.atQueue = s.atQueue[1:]
	}
	web.Pin()
	s.atQueue = append(s.atQueue, atQueued{f.Event.Host, f.Event.UID.N, f.Event.Time, web})
}

// adoptAtJob adopts the shell atd starts for a job the intrusion queued.
func (s *state) adoptAtJob(ev *parser.Event) {
	p := ev.Proc
	if len(s.atQueue) == 0 || ev.Kind != parser.KindExec || p == nil || !ev.UID.Set || s.adopted[p] != nil || !underAtd(p) {
		return
	}
	for i, q := range s.atQueue {
		if q.host != ev.Host || q.uid != ev.UID.N || !ev.Time.After(q.at) {
			continue
		}
		s.atQueue = slices.Delete(s.atQueue, i, i+1)
		s.adoptFor(p, q.web)
		s.markAdopted(p, adoptAtJob)
		q.web.Unpin() // the queue's pin: the adoption holds its own
		return
	}
}

// underAtd reports whether atd, or its fork for one job (which keeps
// atd's image until the job's shell replaces it), is p's parent: the job's
// shell itself, not what the job runs (a job that queues itself again
// must not take its own new entry).
func underAtd(p *parser.Process) bool {
	return p.Parent != nil && path.Base(p.Parent.Exe) == "atd"
}
