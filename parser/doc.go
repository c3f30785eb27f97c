// Package parser turns evidence files into normalized events and process
// trees.
//
// It finds and opens inputs (files, folders, globs, "-"; plain, gzip and
// zstd; rotated audit.log.N sets ordered by their first record), sniffs each
// input's format from its content, reassembles auditd records into events
// keyed by (host, input, timestamp, serial), and builds process trees keyed by
// (host, pid, start time) so that pid reuse yields a new node.
//
// Bad input never stops a run: a malformed record is counted, its position is
// kept in a capped ErrorList, and reading goes on. Inputs are evidence: they
// are opened read-only and hashed (SHA-256) while they are read.
//
// Layout: parser is the façade (Reader, Options, Limits, the format table
// in sniff.go, the reading of inputs: auditd's parallel pipeline and its
// time-order lanes). Beneath it, in internal/: auditd (header, field
// scanner, reassembly, normalization: the hot path), proctree (the process
// tree and its disk spill), and one package per other input family —
// sensor (Tetragon, Falco, Sysmon, cloud_defend, k8s audit), container
// (Docker json-file, CRI, docker events), accesslog, envelope (shippers,
// journald) — over the shared jsonrec (JSON records) and syslog, and the
// leaf event (Event, Pos, Error, Process, Format, the decoder interface),
// which imports none of ours. Families never import each other; what one
// needs of another comes in as a function from parser (TestLayoutOneWay
// checks the direction).
//
// Retention: an event Next yields is the caller's for that call only. A
// consumer that keeps it (or a pointer into it) longer calls Event.Retain
// (KeepFields, or KeepText when it quotes the record text later), which
// also pins the event's process; the loop then calls Reader.Recycle, and an
// event nobody retained is decoded into again. The contract is written out
// in internal/event (retain.go); Stats.Retained counts what was kept.
//
// The package knows nothing of detection, timelines or reports; those steps
// import it, never the other way round.
package parser
