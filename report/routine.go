package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/timeline"
)

// DocRoutine is one template of routine activity (timeline/routine.go):
// commands a web server's child or a web account ran again and again
// across the log, established before anything suspicious and tied to no
// attacker by evidence. Their findings were demoted (to low, or
// informational for what was low), never deleted: FindingIDs name them,
// SeveritiesBefore says what each was as detected.
type DocRoutine struct {
	Host     string `json:"host"`
	Server   string `json:"server"`   // the serving server ("php-fpm8.2 pid 100"), or the service above a web account's job ("cron")
	Template string `json:"template"` // the command line with numbers, hex, UUIDs, file names and temp paths abstracted
	// Count is how many times it ran in the log; Established how many of
	// those came before the host's first suspicious act, in Slices of
	// SlicesTotal equal slices of the log's span.
	Count            int       `json:"count"`
	Established      int       `json:"established"`
	Slices           int       `json:"slices"`
	SlicesTotal      int       `json:"slices_total"`
	FirstSeen        time.Time `json:"first_seen"`
	LastSeen         time.Time `json:"last_seen"`
	Why              string    `json:"why"`
	FindingIDs       []string  `json:"finding_ids"`
	SeveritiesBefore []string  `json:"severities_before"`
}

func (b *builder) routine(rs []*timeline.Routine) []DocRoutine {
	out := make([]DocRoutine, 0, len(rs))
	for _, r := range rs {
		d := DocRoutine{
			Host: valid(r.Host), Server: valid(r.Server), Template: valid(r.Template),
			Count: r.Count, Established: r.Counted, Slices: r.Buckets, SlicesTotal: timeline.RoutineSlices,
			FirstSeen: utc(r.FirstSeen), LastSeen: utc(r.LastSeen), Why: valid(r.Why),
			FindingIDs: []string{}, SeveritiesBefore: []string{},
		}
		for i, f := range r.Findings {
			if id, ok := b.findingID(f); ok { // a finding the report's filter left out is not named
				d.FindingIDs = append(d.FindingIDs, id)
				d.SeveritiesBefore = append(d.SeveritiesBefore, r.Before[i].String())
			}
		}
		if len(d.FindingIDs) > 0 {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// routineFindings counts the findings the routine section covers.
func routineFindings(rs []DocRoutine) int {
	n := 0
	for _, r := range rs {
		n += len(r.FindingIDs)
	}
	return n
}

// routine prints the routine activity after the allowlisted matches.
func (t *textRenderer) routine() {
	rs := t.d.Routine
	if len(rs) == 0 {
		return
	}
	t.heading("Routine activity (" + plural(len(rs), "command template") + ", " +
		plural(routineFindings(rs), "finding") + " demoted, not deleted)")
	for _, r := range rs {
		host := ""
		if r.Host != "" {
			host = sanitize(r.Host) + " "
		}
		t.printf("  %s%s  %s\n", host, sanitize(r.Server), shorten(sanitize(r.Template), 120))
		t.printf("    %d× %s to %s; %s: %s\n", r.Count, fmtTime(r.FirstSeen, t.opts.tz()), fmtTime(r.LastSeen, t.opts.tz()),
			severityShift(r.SeveritiesBefore), strings.Join(r.FindingIDs, " "))
		t.printf("    why: %s\n", sanitize(r.Why))
	}
}

// severityShift says what a template's findings were: "11 medium, 1 high".
func severityShift(sevs []string) string {
	n := map[string]int{}
	for _, s := range sevs {
		n[s]++
	}
	var parts []string
	for _, s := range []string{"critical", "high", "medium", "low", "informational"} {
		if n[s] > 0 {
			parts = append(parts, strconv.Itoa(n[s])+" "+s)
		}
	}
	return "demoted " + strings.Join(parts, ", ")
}
