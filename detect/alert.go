package detect

import (
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// alertFinding turns an alert another sensor already raised (Falco, a
// runtime's export) into a finding: severity from its priority, ATT&CK
// from its tags, stage from the tags or, failing that, from what the
// process's command does.
func alertFinding(ev *parser.Event) *Finding {
	a := ev.Alert()
	if a == nil {
		return nil
	}
	f := &Finding{
		RuleID:   a.Source + ":" + a.Rule,
		RuleIDs:  []string{a.Source + ":" + a.Rule},
		Title:    a.Rule,
		Severity: alertSeverity(a.Priority),
		Time:     ev.Time,
		Host:     ev.Host,
		Event:    ev,
		Process:  ev.Proc,
		Source:   a.Source,
		Reason:   "raised by " + a.Source,
	}
	var tactics []string
	for _, t := range a.Tags {
		lt := strings.ToLower(t)
		if m := alertTechnique.FindStringSubmatch(lt); m != nil {
			f.Attack = append(f.Attack, strings.ToUpper(m[1]))
		}
		if strings.HasPrefix(lt, "mitre_") {
			tactics = append(tactics, "attack."+strings.TrimPrefix(lt, "mitre_"))
		}
	}
	f.Stage = stageFromTags(tactics)
	if f.Stage == StageNone && ev.Proc != nil {
		switch classify(ev.Proc.CommandLine()) {
		case classPersistence:
			f.Stage = StagePersistence
		case classLateral, classScan:
			f.Stage = StageLateralMovement
		case classExfilImpact:
			f.Stage = StageExfiltrationImpact
		case classChannel:
			f.Stage = StageCommandAndControl
		case classSuspicious:
			f.Stage = StageSuspiciousSpawn
		}
	}
	return f
}

var alertTechnique = lazydfa.MustCompile(`^(t\d{4}(\.\d{3})?)$`)

// alertSeverity maps syslog-style priorities (Falco's) to severities.
func alertSeverity(p string) Severity {
	switch strings.ToLower(p) {
	case "emergency", "alert", "critical":
		return SeverityCritical
	case "error":
		return SeverityHigh
	case "warning":
		return SeverityMedium
	case "notice":
		return SeverityLow
	}
	if s, err := ParseSeverity(p); err == nil {
		return s
	}
	return SeverityInformational
}
