package report

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"
)

// The page's template, style sheet and script are embedded: the report is
// one file that opens offline, years later, with nothing fetched.
var (
	//go:embed html.tmpl
	htmlTemplate string
	//go:embed html.css
	htmlCSS string
	//go:embed html.js
	htmlJS string
)

// HTMLWriter writes one self-contained HTML file: inline CSS and JS, no
// fonts, scripts or images from the network, and a Content-Security-Policy
// that forbids every load and allows exactly the page's own style and
// script by their SHA-256 (no nonces, so --reproducible output stays
// byte-identical). All evidence text goes through html/template's
// contextual escaping; nothing is marked safe except the embedded CSS and
// JS, which are ours.
type HTMLWriter struct {
	Options Options
}

// Write implements Writer.
func (hw *HTMLWriter) Write(w io.Writer, c *Case) error {
	d := NewDocument(c, hw.Options)
	restoreBytes(d)
	makeVisible(d)
	return writeHTML(w, d, hw.Options)
}

func writeHTML(w io.Writer, d *Document, opts Options) error {
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"time":       func(t time.Time) string { return fmtTime(t, opts.tz()) },
		"argv":       shellJoin,
		"attack":     attackURL,
		"sevnum":     severityRank,
		"label":      procLabel,
		"short":      shortContainer,
		"join":       strings.Join,
		"bytes":      humanBytes,
		"base":       baseName,
		"clock":      fmtClock,
		"minus":      func(a, b int) int { return a - b },
		"node":       nodeLabel,
		"cleanKinds": cleanGroups,
		"host":       HostLabel,
		"anc":        ancestorLabel,
		"who":        account,
		"place":      placeholderNote,
		"why":        whySuspicious,
		"stagewhy":   stageWhy,
		"window": func(f *DocFilter) string {
			return f.windowText(func(t time.Time) string { return fmtTime(t, opts.tz()) })
		},
	}).Parse(htmlTemplate)
	if err != nil {
		return err // the template is ours and parsed in tests; this is a build error
	}
	return tmpl.Execute(w, newHTMLView(d, opts))
}

// cspHash is the CSP source expression for an inline element whose text is
// exactly s.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// contentSecurityPolicy allows no loads at all ('none' for every fetch
// directive by default-src), and the page's one style and one script by
// hash. Links to attack.mitre.org are navigations, which CSP does not stop.
func contentSecurityPolicy() string {
	return "default-src 'none'; style-src " + cspHash(htmlCSS) + "; script-src " + cspHash(htmlJS) +
		"; base-uri 'none'; form-action 'none'"
}

// attackURL links an ATT&CK technique id (T1059 or T1059.004) to its page;
// anything else gets no link, so a rule's text can never become an href.
func attackURL(id string) string {
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	tech, sub, hasSub := strings.Cut(id, ".")
	if len(tech) != 5 || tech[0] != 'T' || !digits(tech[1:]) || (hasSub && (len(sub) != 3 || !digits(sub))) {
		return ""
	}
	u := "https://attack.mitre.org/techniques/" + tech + "/"
	if hasSub {
		u += sub + "/"
	}
	return u
}

// htmlView is what the template renders.
type htmlView struct {
	D         *Document
	Title     string
	CSP       string
	CSS       template.CSS
	JS        template.JS
	TZ        string
	Tampering []htmlTamper
	Chains    []htmlChain
	Outside   []*DocFinding
	Counts    []htmlCount
	Hidden    []string
	Nav       []htmlNav
}

// htmlNav is one entry of the page's navigation.
type htmlNav struct {
	Href, Text, Severity string
}

type htmlTamper struct {
	Text string
	ID   string // finding id, when the sign is a finding
}

type htmlCount struct {
	Severity string
	N        int
}

type htmlChain struct {
	*DocChain
	Folded   bool   // medium or below: drawn closed, one line until opened
	Headline string // the summary's line for it
	Stages   []htmlStage
	SVG      svgChart
	Graph    svgGraph
	Tree     []*treeNode
	Findings []*DocFinding
}

type htmlStage struct {
	DocStage
	Verdict  string
	Evidence int
}

func newHTMLView(d *Document, opts Options) *htmlView {
	v := &htmlView{
		D: d, Title: "auditchain report", CSP: contentSecurityPolicy(),
		// Both are our own embedded files: the only content marked safe.
		CSS: template.CSS(htmlCSS), JS: template.JS(htmlJS),
		TZ: opts.tz().String(),
	}
	if d.Case != nil && d.Case.Name != "" {
		v.Title += " — " + d.Case.Name
	}
	byID := findingIndex(d)
	for _, s := range d.Coverage.Tampering {
		v.Tampering = append(v.Tampering, htmlTamper{Text: s})
	}
	counts := map[string]int{}
	for i := range d.Findings {
		f := &d.Findings[i]
		counts[f.Severity]++
		if f.Tampering {
			v.Tampering = append(v.Tampering, htmlTamper{Text: f.Title + ": " + f.Summary, ID: f.ID})
		}
		if f.ChainID == "" {
			v.Outside = append(v.Outside, f)
		}
	}
	for _, s := range []string{"critical", "high", "medium", "low", "informational"} {
		if counts[s] > 0 {
			v.Counts = append(v.Counts, htmlCount{s, counts[s]})
		}
	}
	for i := range d.Chains {
		ch := &d.Chains[i]
		hc := htmlChain{DocChain: ch, Tree: nestTree(ch.Tree), Folded: severityRank(ch.Severity) < foldedBelow}
		if d.Summary != nil {
			for _, st := range slices.Concat(d.Summary.Chains, d.Summary.Folded) {
				if st.ChainID == ch.ID {
					hc.Headline = st.Headline
				}
			}
		}
		for _, s := range ch.Stages {
			n := 0
			for _, r := range s.Requests {
				if r.Evidence != nil {
					n++
				}
			}
			for _, id := range s.FindingIDs {
				if f := byID[id]; f != nil {
					n += len(f.Evidence)
				}
			}
			hc.Stages = append(hc.Stages, htmlStage{DocStage: s, Verdict: stageVerdict(s), Evidence: n})
			if s.Visibility == "not-visible" && !containsString(v.Hidden, s.StageID) {
				v.Hidden = append(v.Hidden, s.StageID)
			}
		}
		for _, id := range ch.FindingIDs {
			if f := byID[id]; f != nil {
				hc.Findings = append(hc.Findings, f)
			}
		}
		hc.SVG = newChart(ch, hc.Findings, opts)
		hc.Graph = newGraph(ch, opts)
		v.Chains = append(v.Chains, hc)
	}
	v.Nav = append(v.Nav, htmlNav{Href: "#summary", Text: "What happened"}, htmlNav{Href: "#cleanup", Text: "Clean up"},
		htmlNav{Href: "#key-iocs", Text: "Key IOCs"})
	for _, ch := range v.Chains {
		v.Nav = append(v.Nav, htmlNav{Href: "#" + ch.ID, Text: "Chain " + ch.ID, Severity: ch.Severity})
	}
	v.Nav = append(v.Nav, htmlNav{Href: "#findings-section", Text: "Findings"})
	if len(d.IOCs) > 0 {
		v.Nav = append(v.Nav, htmlNav{Href: "#iocs", Text: "All IOCs"})
	}
	v.Nav = append(v.Nav, htmlNav{Href: "#case", Text: "Case, inputs, coverage"})
	return v
}
