// Package detect turns events with their process-tree context into
// findings. Rules are data: Sigma YAML, embedded from rules/*.yml, plus the
// user's own (Options.RuleDirs, Options.RuleFiles); each match is placed on
// one of the eight stages of the web-server attack chain (stage.go is the
// single source of truth for them) by what the matched activity does
// (Place, placement.go).
//
// # Using it
//
//	e, err := detect.New(detect.Options{RuleDirs: dirs, Disabled: ids, Allowlist: path})
//	for each event ev of a parser.Reader, in time order:
//		findings = append(findings, e.Observe(ev, reader.Tree())...)
//	findings = append(findings, e.Finish()...)
//
// Rules() lists the rules (id, title, stage, severity, ATT&CK, file),
// Problems() what each uses that auditchain cannot run or interprets in its
// own way, Version() a digest of the rule set for the report's
// rules_version, and LoadRuleFile one rule file alone (`rules test`).
//
// # Which processes serve the web
//
// A web server is known by name (webserver.go) or learned from what the
// log records of it (servers.go, Engine.Servers): a service account's
// process that binds a TCP port and accepts on it, or one that accepts TCP
// clients, is a listener; the process a reverse proxy (nginx, apache,
// haproxy…) connects to for its requests — its bound port, or accepts
// lining up with the proxy's connects — is an upstream, and its account a
// web account. The set learns as events stream by; children seen before
// the proof are judged without it and counted (Server.Before).
//
// # Logsources and fields
//
// Rules must be product linux (or none). Categories map onto event kinds:
// process_creation (successful execs), network_connection (connects,
// EINPROGRESS included, and accepts), file_event (writes, creations, rename
// targets), file_delete, file_access (reads, failed opens included), and
// service auditd (every audit event); and two of ours: container_exec (a
// command run into a container by its runtime) and unix_socket (a connect
// to a unix-domain socket, field SocketPath), kept apart from
// network_connection so outbound-connection rules never see local
// sockets. Other logsources load and are reported, not run.
//
// Process fields, in every category with a process: Image, CommandLine,
// ParentImage, ParentCommandLine, User, UserId, EffectiveUserId,
// ParentUser, ParentUserId, LogonId (auid), LogonUser, CurrentDirectory,
// ProcessId, ParentProcessId; and auditchain's own:
//
//	Comm, ParentComm, Terminal, AuditKey, Host, ContainerId
//	AncestorImages, AncestorCommandLines  ancestors nearest first (arrays)
//	ShellCommand    the string a shell runs with -c (also -lc, -cl, -ec, busybox sh -c)
//	WebServerImage  image of the nearest web-server ancestor (by name, webserver.go,
//	                or learned from bind/accept/connect records, servers.go)
//	ParentWebServer "true" when the parent is such a server
//	ParentChecksConfig "true" when the parent is a server's binary in its check
//	                mode (varnishd -C, nginx -t, caddy validate): it serves nothing
//	WebUser         "true" when the process runs as a web-service account (by name,
//	                or the account of a learned server)
//	ChannelPeer     peer of the reverse-shell channel the process runs in
//	ProgramChannel  "true" when that channel is a program's own protocol (it connected
//	                out itself, no shell holds the socket), "false" in any other channel
//	FileCapabilities for an exec: the capabilities its file grants (cap_fp), by name
//	AttachesOtherAccount for a debugger's exec: "true" when the live process it
//	                attaches to (-p, --pid, attach N) runs as another account
//	ImageWrittenBy  for an exec: image that wrote the file earlier in web context
//	UnwrittenPersistPlace for an exec: the persistence mechanism of each argument
//	                that is a persistence place's file no flagged write changed (touch -d
//	                on a file whose change only the reset shows)
//	RemovesOwnFiles "true" for an rm/unlink/shred/srm/wipe whose every path was
//	                written earlier in web context (or is a folder holding such a file)
//	RunForClient    "true" for a command a local service (a database) ran as its
//	                account just after accepting the intrusion's client
//	PlantRanBefore  "true" for an exec of a program the intrusion planted that ran
//	                before (the tool in use, not the plant firing)
//	RunForRequest   "true" for a program a local service ran at once after accepting
//	                a connection the web server's own worker made (an internal API
//	                reached through the web server)
//	PlantStarted    "true" when the process runs in what a planted file started
//	                (the fork of a line it appended, or a program planted whole)
//	EditedFile      for an exec: the files an editing tool's argv writes (sed -i,
//	                tee, cp/mv/install's destination …)
//
// network_connection adds DestinationIp, DestinationPort, DestinationIsIpv6,
// Initiated, Success, PlantedPeer ("fired" or "named" when the destination
// and port are named in the command of an earlier persistence act of
// another process: fired when what the plant changed ran the connecting
// process — a profile in a login session, a crontab under cron), PortFanout
// ("true" once the process has reached 8 distinct ports of the address
// within 10 s: a sweep); file categories add TargetFilename, SourceFilename
// (rename source), ReplacedByCopy (for a delete: "true" when the deleting
// process's argv names the file as its copy's destination), TargetExisted
// ("true" when the write changed a file that
// was there: appended, truncated or replaced by a rename), TargetCreated
// ("true" when the records show it made new; neither when they do not
// tell), Success. service auditd has type (every record type of
// the event), key, syscall/SYSCALL, success, exit, exe, comm, pid, ppid,
// uid, euid, gid, auid, ses, cwd, op, name and nametype (every PATH), and
// any other name is read from the raw records, hex values decoded (a0… of
// EXECVE, name, proctitle …) and ENRICHED names included (UID="www-data").
//
// # Sigma semantics
//
// Rules are parsed with github.com/bradleyjkemp/sigma-go and compiled into
// matchers of our own (sigma.go says why). Differences from sigma-go v0.6.6:
// `*` and `?` in values are wildcards (with \*, \?, \\ escapes); keywords
// are matched against the event's raw records with hex values decoded;
// modifiers cased, exists, cidr, base64, base64offset, windash, re with i/m/s
// and gt/gte/lt/lte are supported; "1 of *_x" patterns with a leading
// wildcard are expanded before sigma-go sees them. Aggregations (count() by
// …), correlation rules, multi-document collections, fieldref, expand
// placeholders, utf16/wide and regular expressions RE2 cannot compile
// disable the rule with a positioned Problem.
//
// Where EQL (Elastic's rule language, in which the headline rule was first
// written) and Sigma differ, rules follow intent: values compare
// case-insensitively unless |cased or |re (EQL's `like` is case-sensitive;
// Linux paths are, but an attacker's "NC" is still nc); an array field
// matches when any element does (EQL's semantics, also Elastic's Sigma
// backend), so AncestorImages|endswith: /nginx means "some ancestor"; and a
// Sigma auditd rule sees a whole audit event (SYSCALL + EXECVE + PATH …),
// not one record, so "type: EXECVE and a0: uname" reads naturally.
//
// # State
//
// The Engine keeps bounded state across events: reverse-shell channels (a
// shell acting for the web server that connected out, so its children are
// stage 7 with the connect as related evidence) and files written in web
// context (so running them is a transferred tool). File and network
// findings are reported once per rule, process and event kind. An Engine
// is not safe for concurrent use.
//
// # Allowlist
//
// Known-benign activity is listed in a YAML file (allowlist.go): a rule id
// and Sigma field conditions, e.g.
//
//   - rule: web-server-shell-spawn
//     reason: kube-probe health check
//     CommandLine|startswith: "sh -c date"
package detect
