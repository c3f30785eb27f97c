package report

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The README's screenshot is the first screen of a real report, taken by
// testdata/readme/screenshot.sh through this test:
//
//	go test ./report -run TestReadmeScreenshot -readme-html FILE -readme-png OUT
var (
	readmeHTML   = flag.String("readme-html", "", "HTML report to photograph (TestReadmeScreenshot)")
	readmePNG    = flag.String("readme-png", "", "where to write the screenshot")
	readmeScroll = flag.String("readme-scroll", "", "CSS selector to scroll to first (default: the top)")
	readmeHeight = flag.Int("readme-height", 1000, "viewport height in CSS pixels (width is 1280)")
)

func TestReadmeScreenshot(t *testing.T) {
	if *readmeHTML == "" || *readmePNG == "" {
		t.Skip("set -readme-html and -readme-png to take the README's screenshot")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping: %s not found (apt-get install chromium)", chromium)
	}
	abs, err := filepath.Abs(*readmeHTML)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, cancelA := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(browserProfile(t)), chromedp.WindowSize(1280, *readmeHeight))
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	var png []byte
	actions := []chromedp.Action{chromedp.EmulateViewport(1280, int64(*readmeHeight)),
		chromedp.Navigate("file://" + abs), chromedp.WaitReady("body", chromedp.ByQuery)}
	if *readmeScroll != "" {
		actions = append(actions, chromedp.Evaluate(`document.querySelector(`+strconv.Quote(*readmeScroll)+`).scrollIntoView()`, nil))
	}
	var width int
	actions = append(actions, chromedp.Evaluate(`document.documentElement.scrollWidth`, &width), chromedp.CaptureScreenshot(&png))
	if err := chromedp.Run(bctx, actions...); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if width > 1280 {
		t.Errorf("the page is %d px wide at a 1280 px viewport: something overflows", width)
	}
	if err := os.WriteFile(*readmePNG, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
