package detect

import (
	"slices"
	"strings"
	"testing"
)

// condString renders a compiled condition as an s-expression of search
// names, to compare parses.
func condString(c cond) string {
	switch x := c.(type) {
	case *search:
		return x.name
	case andCond:
		return "(and " + condList(x) + ")"
	case orCond:
		return "(or " + condList(x) + ")"
	case notCond:
		return "(not " + condString(x.c) + ")"
	}
	return "?"
}

func condList(cs []cond) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, condString(c))
	}
	return strings.Join(parts, " ")
}

// TestParseCondition: identifiers as SigmaHQ writes them (dots, hyphens,
// leading digits), pySigma's selectors and precedence, and errors that
// name what is wrong.
func TestParseCondition(t *testing.T) {
	names := []string{"_hidden", "filter_main_mdadm.conf", "filter_main_sed", "filter-opt-1", "1st", "a/b", "sel", "selection_img_1", "selection_img_2", "selection_paths"}
	searches := map[string]*search{}
	for _, n := range names {
		searches[n] = &search{name: n}
	}
	slices.Sort(names)
	tests := []struct {
		cond, want, wantErr string
	}{
		// SigmaHQ's proc_creation_lnx_susp_sensitive_file_access.yml
		{cond: "1 of selection_img_* and selection_paths and not 1 of filter_main_*",
			want: "(and (or selection_img_1 selection_img_2) selection_paths (not (or filter_main_mdadm.conf filter_main_sed)))"},
		{cond: "sel and not filter_main_mdadm.conf", want: "(and sel (not filter_main_mdadm.conf))"},
		{cond: "filter-opt-1 or 1st", want: "(or filter-opt-1 1st)"},
		{cond: "any of filter_main_* or a/b", want: "(or (or filter_main_mdadm.conf filter_main_sed) a/b)"},
		{cond: "all of selection_*", want: "(and selection_img_1 selection_img_2 selection_paths)"},
		{cond: "1 of *_paths", want: "(or selection_paths)"},
		{cond: "1 of *.conf", want: "(or filter_main_mdadm.conf)"},
		{cond: "1 of sel", want: "sel"},
		{cond: "1 of them", want: "(or 1st a/b filter-opt-1 filter_main_mdadm.conf filter_main_sed sel selection_img_1 selection_img_2 selection_paths)"},
		{cond: "1 of _*", want: "(or _hidden)"},
		{cond: "sel or 1st and not a/b", want: "(or sel (and 1st (not a/b)))"},
		{cond: "(sel or 1st) and not not a/b", want: "(and (or sel 1st) (not (not a/b)))"},
		{cond: "sel AND NOT(1st)", want: "(and sel (not 1st))"},
		{cond: "\n  sel\n  and 1st\n", want: "(and sel 1st)"},
		{cond: "sel and filter_main_mdadm", wantErr: `search "filter_main_mdadm", which the detection does not define`},
		{cond: "1 of nomatch_*", wantErr: `"1 of nomatch_*" matches no search`},
		{cond: "(sel or 1st", wantErr: "'(' without its ')'"},
		{cond: "sel)", wantErr: `unexpected ")"`},
		{cond: "sel and", wantErr: "condition ends"},
		{cond: "and sel", wantErr: `unexpected "and"`},
		{cond: "1 of", wantErr: `"1 of" wants a pattern or them`},
		{cond: "all of (", wantErr: `"all of" wants a pattern or them`},
		{cond: "sel | count() by User > 10", wantErr: "correlation"},
		{cond: "   ", wantErr: "condition is empty"},
		{cond: strings.Repeat("(", 100) + "sel" + strings.Repeat(")", 100), wantErr: "nested deeper than 64"},
		{cond: strings.Repeat("not ", 100) + "sel", wantErr: "nested deeper than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			c, err := parseCondition(tt.cond, searches, names)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := condString(c); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
