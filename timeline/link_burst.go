package timeline

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A server that deploys an application writes all its files in one burst:
// Tomcat unpacking a WAR writes its JSPs within milliseconds, the web
// shell page and the second page kept for later alike. Those writes are
// one act of one process, but a server process is no anchor (it serves
// everyone), so each file's finding stood alone — the page never
// requested became a chain of its own whose way in was "not seen"
// (tomcat-manager: WEB-INF/print.jsp beside view.jsp). linkBursts joins
// the file-write findings of one web-server process whose writes follow
// each other within deployBatchGap and lie in one application folder (the
// first folder below the nearest served root, or the written folder's
// top). The link is observed: one process, one burst, one folder.

func (l *linker) linkBursts() {
	type burst struct {
		first int // the finding the others join
		last  time.Time
		dir   string
	}
	open := map[*parser.Process]*burst{}
	for i, f := range l.findings {
		ev := f.Event
		if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
			continue
		}
		p := procOf(f)
		if p == nil || !l.o.isWebServer(p) {
			continue
		}
		dir := appFolder(path.Clean(ev.Path))
		b := open[p]
		if b == nil || ev.Time.Sub(b.last) > deployBatchGap || b.dir != dir {
			open[p] = &burst{i, ev.Time, dir}
			continue
		}
		b.last = ev.Time
		l.union(findingKey(i), findingKey(b.first), ev.Time, fmt.Sprintf(
			"burst: %s wrote %s and %s within %s, both in %s: one act of one process (a deployment unpacking its files)",
			label(p), l.findings[b.first].Event.Path, ev.Path, ev.Time.Sub(l.findings[b.first].Time).Round(time.Millisecond), dir))
	}
}

// appFolder is the folder an application's files share: the first folder
// below a servlet container's deployment folder (webapps/docs-api), or
// the file's own folder.
func appFolder(p string) string {
	for _, d := range servletDeployDirs {
		if i := strings.Index(p, d); i >= 0 {
			rest := p[i+len(d):]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				return p[:i+len(d)+j]
			}
			// the archive itself (webapps/docs-api.war) is the folder's
			return strings.TrimSuffix(p, path.Ext(p))
		}
	}
	return path.Dir(p)
}
