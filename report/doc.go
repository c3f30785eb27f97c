// Package report renders one Case — inputs, findings, attack chains and
// process trees — as text, HTML, JSON (the auditchain.report/v1 contract),
// NDJSON, or a Timesketch CSV, and compares two JSON reports (Diff).
//
// Every writer works the same way: NewDocument turns the Case into the wire
// Document (document.go, build.go) and the writer renders that Document, so
// the formats cannot disagree and `auditchain diff` can render the text of a
// report it read back from JSON. Attacker-controlled text is escaped once
// per medium: sanitize (sanitize.go) for the terminal, html/template for
// HTML, encoding/json and encoding/csv for the rest.
//
// Files: writer.go (Writer, Format, Options, NewWriter), document.go and
// build.go (Document, NewDocument, ReadDocument), chaintree.go (the process
// tree around a chain), ioc.go, json.go, ndjson.go and ndjsonsummary.go
// (the summary line), csv.go and csvsummary.go (the summary rows), text.go
// and textfmt.go, html.go with html.tmpl, html.css, html.js, svg.go (the
// attack chain chart), graph.go (the process graph), schema.go with
// schema.json, diff.go.
package report
