package detect

import "github.com/auditchain/auditchain/parser"

// rulesByKind holds the runnable, enabled rules of each event kind: as
// many slots as parser has kinds, so a kind added there has its own.
type rulesByKind [parser.NumKinds][]*Rule

// of returns the rules of kind k; none for a kind parser does not make.
func (r *rulesByKind) of(k parser.Kind) []*Rule {
	if int(k) < len(r) {
		return r[k]
	}
	return nil
}
