package report

import (
	"strings"
	"time"
)

// Filter is what --since/--until/--host/--container did: the window
// actually applied (durations turned into times), what durations counted
// back from, and what matched nothing. It is nil when no filter was given
// and no outlier was found.
type Filter struct {
	Since, Until       time.Time // the window applied; zero is open
	SinceArg, UntilArg string    // as given on the command line
	// Reference is the time durations counted back from, and ReferenceOf
	// what it is ("the newest audit record"); zero without a duration.
	Reference   time.Time
	ReferenceOf string
	Host        string
	Container   string
	Notes       []string // a filter that matched nothing, with the values that exist
	Outliers    []string // records far beyond the rest of their input, file:line
}

// Active reports whether any filter was given.
func (f *Filter) Active() bool {
	return f != nil && (!f.Since.IsZero() || !f.Until.IsZero() || f.Host != "" || f.Container != "")
}

// Window is the window applied, in words: "A → B", with "…" for an open end.
func (f *Filter) Window() string {
	end := func(t time.Time) string {
		if t.IsZero() {
			return "…"
		}
		return fmtTime(t, time.UTC)
	}
	return end(f.Since) + " → " + end(f.Until)
}

// DocFilter is Filter on the wire.
type DocFilter struct {
	Since       time.Time `json:"since,omitzero"`
	Until       time.Time `json:"until,omitzero"`
	SinceArg    string    `json:"since_arg,omitempty"`
	UntilArg    string    `json:"until_arg,omitempty"`
	Reference   time.Time `json:"reference_time,omitzero"`
	ReferenceOf string    `json:"reference,omitempty"`
	Host        string    `json:"host,omitempty"`
	Container   string    `json:"container,omitempty"`
	Notes       []string  `json:"notes,omitempty"`
	Outliers    []string  `json:"outliers,omitempty"`
}

func docFilter(f *Filter) *DocFilter {
	if f == nil {
		return nil
	}
	return &DocFilter{
		Since: utc(f.Since), Until: utc(f.Until), SinceArg: valid(f.SinceArg), UntilArg: valid(f.UntilArg),
		Reference: utc(f.Reference), ReferenceOf: f.ReferenceOf,
		Host: valid(f.Host), Container: valid(f.Container),
		Notes: validAll(f.Notes), Outliers: validAll(f.Outliers),
	}
}

// windowText is the header line that states the window applied.
func (d *DocFilter) windowText(tz func(time.Time) string) string {
	if d == nil || d.Since.IsZero() && d.Until.IsZero() {
		return ""
	}
	end := func(t time.Time) string {
		if t.IsZero() {
			return "…"
		}
		return tz(t)
	}
	s := end(d.Since) + " → " + end(d.Until)
	var args []string
	if d.SinceArg != "" {
		args = append(args, "--since "+d.SinceArg)
	}
	if d.UntilArg != "" {
		args = append(args, "--until "+d.UntilArg)
	}
	s += " (" + strings.Join(args, ", ")
	if !d.Reference.IsZero() {
		s += ", counted back from " + d.ReferenceOf + " " + tz(d.Reference)
	}
	return s + ")"
}
