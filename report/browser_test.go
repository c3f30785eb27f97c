package report

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var screenshot = flag.Bool("screenshot", false, "save the HTML report's chain view to testdata/report.png")

const chromium = "/usr/bin/chromium"

// browserLog collects what the page did that it must not: console errors,
// exceptions, CSP violations, network requests, dialogs.
type browserLog struct {
	mu       sync.Mutex
	problems []string
	requests []string
	dialogs  []string
}

func (b *browserLog) add(list *[]string, s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	*list = append(*list, s)
}

// TestHTMLInBrowser opens the HTML report in headless Chromium from a
// file:// URL and checks that it loads cleanly, fetches nothing, shows the
// eight stage columns with the attacker's 40-minute pause as a marked
// break, draws the process graph with the attack path highlighted and the
// requests (inferred, observed, ambiguous) joined to the processes they
// caused, has a working collapsible tree, filter and sort, and renders the
// hostile argv as text without running any of it.
func TestHTMLInBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping the browser test: %s not found (apt-get install chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, render(t, "html", goldenOptions(), attackCase(fixtureOptions{idle: 40 * time.Minute, links: true})), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + file

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	actx, cancelA := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(browserProfile(t)),
		chromedp.WindowSize(1320, 1000),
	)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()

	var bl browserLog
	chromedp.ListenTarget(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeWarning || ev.Type == runtime.APITypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				bl.add(&bl.problems, "console."+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			bl.add(&bl.problems, "exception: "+ev.ExceptionDetails.Text+" "+exceptionText(ev.ExceptionDetails))
		case *log.EventEntryAdded:
			// CSP violations arrive here ("Refused to load … because it
			// violates the following Content Security Policy directive").
			if ev.Entry.Level == log.LevelError || ev.Entry.Level == log.LevelWarning || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				bl.add(&bl.problems, "log "+string(ev.Entry.Source)+": "+ev.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			bl.add(&bl.requests, ev.Request.URL)
		case *page.EventJavascriptDialogOpening:
			bl.add(&bl.dialogs, string(ev.Type)+": "+ev.Message)
			go func() { _ = chromedp.Run(bctx, page.HandleJavaScriptDialog(false)) }()
		}
	})

	var (
		cols       []string
		visible    int
		pwned      string
		images     int
		scripts    int
		hostile    string
		closedPID  string
		openAfter  bool
		shownAll   string
		shownRule  string
		shownCrit  string
		firstAfter string
		// the first screen
		summaryTop  float64
		summaryH    float64
		sentences   int
		cleanupRows int
		navBroken   []string
		navCount    int
		scrollWidth int
		markLabel   string
		// the process graph and the chart's compressed pause
		graphNodes  int
		susStroke   string
		offStroke   string
		pathEdges   int
		reqs        []string
		ambDash     string
		reqEdgeEnds int
		gapText     string
		gapVisible  bool
	)
	err := chromedp.Run(bctx,
		chromedp.EmulateViewport(1280, 1000),
		chromedp.Navigate(url),
		chromedp.WaitReady("#findings", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById('summary').getBoundingClientRect().top`, &summaryTop),
		chromedp.Evaluate(`document.getElementById('summary').getBoundingClientRect().height`, &summaryH),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#summary ol.sentences li')).filter(li => li.getBoundingClientRect().height > 0).length`, &sentences),
		chromedp.Evaluate(`document.querySelectorAll('#cleanup ul.checklist li').length + document.querySelectorAll('#cleanup-detail tbody tr').length`, &cleanupRows),
		chromedp.Evaluate(`document.querySelectorAll('nav.toc a').length`, &navCount),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href')).filter(h => !h.startsWith('#') || !document.getElementById(h.slice(1)))`, &navBroken),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.querySelector('#C01 .mark-label').textContent`, &markLabel),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#C01 svg.stages .stage-col')).map(g => g.dataset.stage)`, &cols),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#C01 svg.stages .stage-col rect')).filter(r => { const b = r.getBoundingClientRect(); return b.width > 50 && b.height > 50 }).length`, &visible),
		chromedp.Evaluate(`typeof window.__pwned`, &pwned),
		chromedp.Evaluate(`document.images.length + document.querySelectorAll('img,iframe,object,embed').length`, &images),
		chromedp.Evaluate(`document.scripts.length`, &scripts),
		chromedp.Text(`#F0005 .cmd`, &hostile, chromedp.ByQuery),
		// The process graph: nodes drawn, the attack path in another
		// colour than the rest, the requests joined to their processes.
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#C01 svg.procgraph .g-node rect')).filter(r => { const b = r.getBoundingClientRect(); return b.width > 40 && b.height > 10 }).length`, &graphNodes),
		chromedp.Evaluate(`getComputedStyle(document.querySelector('#C01 .g-node.sus rect')).stroke`, &susStroke),
		chromedp.Evaluate(`getComputedStyle(document.querySelector('#C01 .g-node.off rect')).stroke`, &offStroke),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#C01 .g-edge.path')).filter(e => parseFloat(getComputedStyle(e).strokeWidth) >= 2 && e.getBoundingClientRect().height > 0).length`, &pathEdges),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#C01 .g-req')).filter(g => g.getBoundingClientRect().width > 100).map(g => g.classList[1] + ':' + g.querySelector('.g-status').textContent)`, &reqs),
		chromedp.Evaluate(`getComputedStyle(document.querySelector('#C01 .g-req.ambiguous rect')).strokeDasharray`, &ambDash),
		// A request's edge ends at the left edge of a process box.
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#C01 .g-req .g-link')).filter(l => { const b = l.getBoundingClientRect(); return Array.from(document.querySelectorAll('#C01 .g-node rect')).some(r => Math.abs(r.getBoundingClientRect().left - b.right) < 2) }).length`, &reqEdgeEnds),
		chromedp.Evaluate(`(document.querySelector('#C01 svg.stages .gap') || {textContent: ''}).textContent`, &gapText),
		chromedp.Evaluate(`(() => { const g = document.querySelector('#C01 svg.stages .gap text'); if (!g) return false; const b = g.getBoundingClientRect(); return b.width > 50 && b.height > 5 })()`, &gapVisible),
		// The tree list: folded under the graph; opened, a branch without
		// findings is closed and clicking opens it.
		chromedp.Click(`#C01 details.treelist > summary`, chromedp.ByQuery),
		chromedp.Evaluate(`(document.querySelector('#C01 details.node:not([open])') || {dataset: {}}).dataset.pid || ''`, &closedPID),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if closedPID == "" {
		t.Fatal("no collapsed node in the process tree")
	}
	sel := `#C01 details.node[data-pid="` + closedPID + `"]`
	err = chromedp.Run(bctx,
		chromedp.Click(sel+` > summary`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('`+sel+`').open`, &openAfter),
		// Filter by text, then by severity; then sort by severity.
		chromedp.Text(`#shown`, &shownAll, chromedp.ByQuery),
		chromedp.SendKeys(`#filter`, "ac-exfil-curl-upload", chromedp.ByQuery),
		chromedp.Text(`#shown`, &shownRule, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById('filter').value = ''; document.getElementById('minsev').value = '4'; document.getElementById('minsev').dispatchEvent(new Event('change')); document.getElementById('filter').dispatchEvent(new Event('input'))`, nil),
		chromedp.Text(`#shown`, &shownCrit, chromedp.ByQuery),
		chromedp.Click(`#findings thead th:nth-child(3)`, chromedp.ByQuery),
		chromedp.Click(`#findings thead th:nth-child(3)`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#findings tbody tr').id`, &firstAfter),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if *screenshot {
		var png []byte
		if err := chromedp.Run(bctx,
			chromedp.Evaluate(`document.getElementById('minsev').value = '0'; document.getElementById('minsev').dispatchEvent(new Event('change'))`, nil),
			chromedp.Screenshot(`#C01`, &png, chromedp.ByQuery),
		); err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "report.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cancelB() // close the browser before reading the logs

	if summaryTop <= 0 || summaryTop > 400 || summaryH < 100 {
		t.Errorf("the summary is not on the first screen: top %.0f px, height %.0f px", summaryTop, summaryH)
	}
	if sentences < 5 {
		t.Errorf("%d visible sentences in the summary, want one per observed stage (at least 5)", sentences)
	}
	if cleanupRows == 0 {
		t.Error("the clean-up table is empty")
	}
	if navCount < 5 || len(navBroken) > 0 {
		t.Errorf("navigation: %d links, broken %v", navCount, navBroken)
	}
	if scrollWidth > 1280 {
		t.Errorf("the page is %d px wide at a 1280 px viewport: something overflows", scrollWidth)
	}
	if !strings.Contains(markLabel, "Script written into the web root") {
		t.Errorf("the chart's first marker is labelled %q, want its title", markLabel)
	}
	want := []string{"initial-access", "webshell-upload", "command-execution", "suspicious-process-spawn",
		"persistence", "lateral-movement", "command-and-control", "exfiltration-impact"}
	if strings.Join(cols, " ") != strings.Join(want, " ") {
		t.Errorf("stage columns %v, want %v", cols, want)
	}
	if visible != 8 {
		t.Errorf("%d stage columns are visible, want 8", visible)
	}
	if graphNodes < 12 {
		t.Errorf("%d process nodes visible in the graph, want the 12 processes of the chain's tree", graphNodes)
	}
	if susStroke == "" || susStroke == offStroke {
		t.Errorf("a process with a finding is outlined %q like the others (%q): the attack path is not highlighted", susStroke, offStroke)
	}
	if pathEdges < 4 {
		t.Errorf("%d bold attack-path edges, want the path from the server down", pathEdges)
	}
	if strings.Join(reqs, " ") != "inferred:inferred observed:observed ambiguous:ambiguous" {
		t.Errorf("request nodes %v, want inferred, observed and ambiguous", reqs)
	}
	if ambDash == "" || ambDash == "none" {
		t.Errorf("the ambiguous request is drawn with a solid outline (%q)", ambDash)
	}
	if reqEdgeEnds != 3 {
		t.Errorf("%d of 3 request edges end at a process box", reqEdgeEnds)
	}
	if !strings.Contains(gapText, "40m 30s without activity") || !gapVisible {
		t.Errorf("the chart's pause marker reads %q (visible %v), want the 40m 30s break", gapText, gapVisible)
	}
	if pwned != "undefined" {
		t.Errorf("window.__pwned is %s: the hostile argv ran", pwned)
	}
	if images != 0 || scripts != 1 {
		t.Errorf("the page has %d images/frames and %d scripts, want 0 and 1", images, scripts)
	}
	for _, s := range []string{"<script>window.__pwned=1;alert(1)</script>", `<img src=x onerror="window.__pwned=1;alert(1)">`, `\x1b]0;pwned\x07`} {
		if !strings.Contains(hostile, s) {
			t.Errorf("the hostile finding does not show %q as text; it shows %q", s, hostile)
		}
	}
	if !openAfter {
		t.Errorf("clicking the collapsed node %s did not open it", closedPID)
	}
	if shownAll != "8" || shownRule != "1" || shownCrit != "2" {
		t.Errorf("filter: shown %s, by rule %s, critical %s; want 8, 1, 2", shownAll, shownRule, shownCrit)
	}
	if firstAfter != "F0003" && firstAfter != "F0008" {
		t.Errorf("sorting by severity (descending) puts %s first, want a critical finding", firstAfter)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	for _, p := range bl.problems {
		t.Errorf("page problem: %s", p)
	}
	for _, d := range bl.dialogs {
		t.Errorf("a dialog opened: %s", d)
	}
	for _, r := range bl.requests {
		if r != url {
			t.Errorf("network request to %s", r)
		}
	}
	if len(bl.requests) == 0 {
		t.Error("no request seen at all: is the network listener working?")
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil || d.Exception == nil {
		return ""
	}
	return d.Exception.Description
}

// browserProfile is a fresh Chromium profile folder. It is not under
// t.TempDir(): Chromium's helper processes may still write into it for a
// moment after the browser is closed, which made TempDir's own cleanup fail
// the test now and then. Removal is retried and its failure only logged.
func browserProfile(t *testing.T) string {
	dir, err := os.MkdirTemp("", "auditchain-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 20; i++ {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("leaving %s: %v", dir, err)
	})
	return dir
}
