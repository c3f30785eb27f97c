package timeline

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// sudo and su exec whatever the system then decides: the exec record says
// success, and the refusal comes after it in user-space records of the
// same pid (USER_CMD, USER_AUTH, USER_ERR with res=failed: "sudo -n -l"
// with no password). A finding on such an exec says "ran sudo -n -l" as if
// it had worked; markRefused sets its Refused, and the report words it as
// the attempt it was.

// identityPrograms ask the system for another identity.
var identityPrograms = map[string]bool{"sudo": true, "su": true, "runuser": true, "pkexec": true, "doas": true}

// refusalWindow bounds the time from the exec to its refusal record.
const refusalWindow = 10 * time.Second

// maxRefusals bounds the refusals kept for matching (the oldest go first).
const maxRefusals = 4096

type hostPID struct {
	host string
	pid  int
}

type refusal struct {
	at     time.Time
	typ    string
	serial uint64
}

// noteRefusal keeps a failed user-space record of an identity program.
func (b *Builder) noteRefusal(ev *parser.Event) {
	if ev.Success || ev.PID <= 0 || !identityPrograms[path.Base(ev.Exe)] {
		return
	}
	switch ev.RecordType {
	case "USER_CMD", "USER_AUTH", "USER_ERR", "USER_ACCT":
	default:
		return
	}
	k := hostPID{ev.Host, ev.PID}
	if _, ok := b.refusals[k]; ok {
		return // the first says it
	}
	if len(b.refusalOrder) >= maxRefusals {
		delete(b.refusals, b.refusalOrder[0])
		b.refusalOrder = b.refusalOrder[1:]
	}
	if b.refusals == nil {
		b.refusals = map[hostPID]refusal{}
	}
	b.refusals[k] = refusal{ev.Time, ev.RecordType, ev.Serial}
	b.refusalOrder = append(b.refusalOrder, k)
}

// markRefused returns chainable with the findings on a refused identity
// program's exec replaced by copies that say so (all gets the same).
// A shell whose command is the identity program (sh -c 'sudo -n -l')
// is refused with it: the program is its child, started within a second.
func (b *Builder) markRefused(all, chainable []*detect.Finding, tree *parser.Tree) []*detect.Finding {
	if len(b.refusals) == 0 {
		return chainable
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		ev := f.Event
		if ev == nil || ev.Kind != parser.KindExec || ev.Proc == nil || f.Refused != "" {
			continue
		}
		p := ev.Proc
		if !identityPrograms[path.Base(ev.Exe)] {
			if tree == nil || !startsWithIdentity(ev.Args) {
				continue
			}
			tree.LoadChildren(p)
			var prog *parser.Process
			for _, c := range p.Children {
				if e, ok := firstExec(c); ok && identityPrograms[path.Base(e.Exe)] && e.Time.Sub(ev.Time) <= time.Second {
					prog = c
					break
				}
			}
			if prog == nil {
				continue
			}
			p = prog
		}
		r, ok := b.refusals[hostPID{p.Key.Host, p.Key.PID}]
		if !ok || r.at.Before(ev.Time) || r.at.Sub(ev.Time) > refusalWindow {
			continue
		}
		d := *f
		d.Refused = fmt.Sprintf("refused: %s[%d] logged %s res=failed at %s (serial %d)", path.Base(p.Exe), p.Key.PID, r.typ, when(r.at), r.serial)
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}

// startsWithIdentity reports whether a shell's -c command runs an
// identity program first (sudo …, su …).
func startsWithIdentity(args []string) bool {
	c := dashC(args)
	if c == "" {
		return false
	}
	f := strings.Fields(c)
	return len(f) > 0 && identityPrograms[path.Base(f[0])]
}
