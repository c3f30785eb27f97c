package detect

import "github.com/auditchain/auditchain/parser"

// TargetExisted reports whether a file event changed a file that was there
// before it (an append, an overwrite, a rename over it), by its PATH
// records: the victim's own file, changed, not one the actor dropped. It
// claims nothing without PATH records.
func TargetExisted(ev *parser.Event) bool { return ev != nil && targetExisted(ev) }
