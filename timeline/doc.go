// Package timeline groups findings into attack chains, one per intrusion,
// links them by evidence (ancestry, web account and session, files written
// then executed, network peers, container), lays each chain on the eight
// stages of package detect, and says which stages the inputs could not show.
//
// A Builder watches the event stream (Observe, for every event in time
// order) and keeps the little that findings do not carry: audit
// configuration changes, daemon records, access-log requests, ssh logins
// and accepts, web-server execs, file writes and connects. Build then
// takes the findings and the process tree and returns the chains, worst
// first, and the Coverage of the inputs.
//
// Chains are the connected components of a graph of findings and what ties
// them, each edge a rule recorded in Chain.Links:
//
//   - ancestry: a finding joins the root of its unit of work, the last
//     process below a service (web server, sshd, cron, init, container
//     shim). Below a web server that is the shell the server spawned for a
//     request, never the worker, which serves benign requests too.
//     Re-parented orphans keep their original parent.
//   - session: processes with the same audit login session (auid, ses).
//   - request (with an access log): shells spawned for requests to the same
//     script; the request is found by time (within Options.RequestWindow of
//     the exec, in the worker's host) or by its parameters appearing in the
//     command line.
//   - web account (without request evidence): shells of the same web server,
//     account and working directory within Options.Gap, each with a finding
//     of medium severity or more.
//   - file: a file a web server stored for a client, or a script dropped
//     into a web root, ties its writer, the requests that fetched it, shells
//     started in its directory and whoever later changed or deleted it; a
//     file one unit of work wrote and another executed or named.
//   - http client: an upload joins the web shell that the same client
//     (address and user agent) drove within Options.Gap.
//   - cron: a crontab installed by a chain ties to the jobs cron later runs
//     for that user.
//   - peer: the endpoint of a reverse shell, beacon or exfiltration seen
//     again.
//   - ssh: a login that the chain's own ssh client opened (connect matched
//     with sshd's accept and the session it logged) continues the chain
//     under the new account and session.
//   - container: findings of medium severity or more in one container within
//     Options.Gap.
//
// Low and informational findings never join by a time rule alone, so one
// noisy finding cannot pull unrelated activity together.
//
// Before linking, routine activity is demoted (routine.go): a command a
// web server's child or a web account ran again and again across the log
// before the host's first suspicious act, tied to no attacker by evidence,
// keeps its findings at low and is listed in Result.Routine.
//
// Coverage comes from --audit-rules (the full rule text) or from the log's
// CONFIG_CHANGE add_rule records, which carry a rule's key and list but not
// its text: syscalls and watches are then inferred from key names, and
// Coverage.Notes say so. The events present prove what was audited in any
// case. A stage the inputs could not show is NotVisible, which is not the
// same as NotObserved. Signs of tampering (rules removed, auditing
// disabled, the daemon stopped, silences and missing serials) are listed in
// Coverage.Tampering.
package timeline
