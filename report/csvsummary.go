package report

import (
	"cmp"
	"strconv"
	"time"
)

// csvSummaryRows are the summary as CSV rows, for the top of the file: per
// chain its headline, one row per sentence, then the clean-up list and the
// key IOCs, in reading order. They are rows like any other (data_type
// auditchain:summary, timestamp_desc "Summary"), not comment lines or a
// second table: Timesketch, spreadsheets and csv readers take one header
// and rows of the same columns, and a "#" line is data to most of them.
// Each row is timed at the moment it tells of (a sentence at its stage's
// first finding, a clean-up item at its chain's end), so on a timeline it
// sits beside its evidence.
func csvSummaryRows(d *Document) []*csvRow {
	s := d.Summary
	if s == nil {
		return nil
	}
	chains := map[string]*DocChain{}
	for i := range d.Chains {
		chains[d.Chains[i].ID] = &d.Chains[i]
	}
	row := func(at time.Time, kind, message string) *csvRow {
		return &csvRow{at: cmp.Or(at, d.FirstTime), desc: "Summary", dataType: "auditchain:summary", kind: kind, message: message}
	}
	var rows []*csvRow
	for _, st := range append(append([]DocStory{}, s.Chains...), s.Folded...) {
		var first time.Time
		host, container := "", ""
		if ch := chains[st.ChainID]; ch != nil {
			first, host, container = ch.FirstSeen, ch.Host, ch.ContainerID
		}
		r := row(first, "summary-chain", st.ChainID+" ["+st.Severity+", score "+strconv.Itoa(st.Score)+"] "+st.Headline)
		r.chain, r.severity, r.host, r.container = st.ChainID, st.Severity, host, container
		rows = append(rows, r)
		for _, x := range st.Sentences {
			r := row(cmp.Or(x.Time, first), "summary-stage", st.ChainID+" stage "+strconv.Itoa(x.Stage)+": "+x.Text)
			r.chain, r.stage, r.stageID, r.findings, r.host, r.container = st.ChainID, x.Stage, x.StageID, x.FindingIDs, host, container
			rows = append(rows, r)
		}
	}
	for _, c := range s.Cleanup {
		var last time.Time
		if ch := chains[c.ChainID]; ch != nil {
			last = ch.LastSeen
		}
		msg := "clean up (" + c.Kind + "): " + c.What
		if c.Detail != "" {
			msg += " — " + c.Detail
		}
		r := row(last, "summary-cleanup", msg)
		r.chain, r.findings = c.ChainID, c.FindingIDs
		rows = append(rows, r)
	}
	for _, k := range s.KeyIOCs {
		var first time.Time
		for i := range d.IOCs {
			if d.IOCs[i].Type == k.Type && d.IOCs[i].Value == k.Value {
				first = d.IOCs[i].FirstSeen
				break
			}
		}
		msg := "key IOC " + k.Type + " " + k.Value
		if k.Note != "" {
			msg += " — " + k.Note
		}
		r := row(first, "summary-ioc", msg)
		r.findings = k.FindingIDs
		rows = append(rows, r)
	}
	return rows
}
