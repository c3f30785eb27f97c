package detect

import "strconv"

// Stage is one step of the web-server attack chain, numbered 1–8. The zero
// Stage means "no stage" (benign context, or a tampering finding that is
// shown apart from the chain).
type Stage int

// The eight stages. Their numbers, ids and names are a contract: the JSON
// report and the tests use exactly these (DESIGN.md).
const (
	StageNone Stage = iota
	StageInitialAccess
	StageWebshellUpload
	StageCommandExecution
	StageSuspiciousSpawn
	StagePersistence
	StageLateralMovement
	StageCommandAndControl
	StageExfiltrationImpact
)

// StageInfo is one row of the stage table.
type StageInfo struct {
	Stage Stage
	ID    string
	Name  string
	About string
}

// Stages is the single source of truth for the eight stages, in order.
var Stages = [8]StageInfo{
	{StageInitialAccess, "initial-access", "Initial access", "the web server is exploited (RCE, weak credentials)"},
	{StageWebshellUpload, "webshell-upload", "Web shell upload", "a script lands in a served directory"},
	{StageCommandExecution, "command-execution", "Command execution", "the web shell runs commands as the web-service account"},
	{StageSuspiciousSpawn, "suspicious-process-spawn", "Suspicious process spawn", "a web server or its user spawns a shell with suspicious arguments"},
	{StagePersistence, "persistence", "Persistence", "cron jobs, modified system files, new units, keys"},
	{StageLateralMovement, "lateral-movement", "Lateral movement", "the host is used as a pivot"},
	{StageCommandAndControl, "command-and-control", "Command and control", "a remote control channel"},
	{StageExfiltrationImpact, "exfiltration-impact", "Exfiltration / impact", "data leaves or the system is damaged"},
}

// Effect reports whether s is the stage of an act's effect — a plant (2),
// persistence (5), a move to another host (6), data out or destroyed (8) —
// which wins wherever the act happens (placement.go, DESIGN.md).
func (s Stage) Effect() bool {
	return s == StageWebshellUpload || s == StagePersistence || s == StageLateralMovement || s == StageExfiltrationImpact
}

// Valid reports whether s is one of the eight stages.
func (s Stage) Valid() bool { return s >= StageInitialAccess && s <= StageExfiltrationImpact }

// ID returns the stage's contract id ("suspicious-process-spawn"), or "" for
// StageNone.
func (s Stage) ID() string {
	if !s.Valid() {
		return ""
	}
	return Stages[s-1].ID
}

// Name returns the stage's display name.
func (s Stage) Name() string {
	if !s.Valid() {
		return "none"
	}
	return Stages[s-1].Name
}

func (s Stage) String() string {
	if !s.Valid() {
		return "stage(" + strconv.Itoa(int(s)) + ")"
	}
	return Stages[s-1].ID
}

// ParseStage accepts a stage number ("4"), id ("suspicious-process-spawn")
// or "none".
func ParseStage(v string) (Stage, bool) {
	if v == "none" || v == "0" {
		return StageNone, true
	}
	if n, err := strconv.Atoi(v); err == nil {
		s := Stage(n)
		return s, s.Valid()
	}
	for _, si := range Stages {
		if si.ID == v {
			return si.Stage, true
		}
	}
	return StageNone, false
}
