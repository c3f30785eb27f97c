package report

import (
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// RuleDescriptions maps rule ids to their descriptions, folded onto one
// line, for Case.Descriptions: the report's "why this is suspicious".
func RuleDescriptions(rules []*detect.Rule) map[string]string {
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		if r == nil || r.Description == "" {
			continue
		}
		m[r.ID] = strings.Join(strings.Fields(r.Description), " ")
	}
	return m
}

// target returns what an event acted on: the file (lossless) and the peer.
func target(ev *parser.Event) (file, fileHex, peer string) {
	switch ev.Kind {
	case parser.KindFileWrite, parser.KindRename, parser.KindUnlink, parser.KindChmod, parser.KindChown:
		file, fileHex = lossless(ev.Path)
	case parser.KindConnect:
		if ev.Peer.Family == "inet" || ev.Peer.Family == "inet6" {
			peer = valid(ev.Peer.String())
		}
	}
	return file, fileHex, peer
}
