package parser

import "github.com/auditchain/auditchain/parser/internal/accesslog"

// Access logs (nginx/apache combined or common, JSON) live in
// parser/internal/accesslog; these adapt them to the format table and to
// the container logs, whose lines are often access-log lines.

func sniffAccessLog(line []byte) bool                    { return accesslog.Sniff(line) }
func accessLogBanner(line []byte) bool                   { return accesslog.Banner(line) }
func accessLogAside(line []byte) bool                    { return accesslog.Aside(line) }
func newAccessLogDecoder(*Input, *Options) decoder       { return accesslog.New() }
func parseAccess(line []byte) (accesslog.Record, error)  { return accesslog.Parse(line) }
func httpEvent(r accesslog.Record, source Format) *Event { return accesslog.HTTPEvent(r, source) }
