package timeline

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Rule 5g counts the lines of a second that php-fpm served against its
// workers' ends in that second (reqorder.go). A line whose path names a
// PHP script is php-fpm's; one that names none (GET /, a front
// controller's route) may be php-fpm's or the front server's own: nginx
// answers GET / from index.html when the site has one and passes it to
// index.php when it does not. Which one is the server's configuration (a
// location's fastcgi_pass, try_files and index), fixed for the whole log,
// so the log's own seconds say it: in a second where such a route is the
// only one of its kind and nothing blurs the count, php-fpm's ends equal
// either the PHP script lines alone (the front server answered the route)
// or those and the route's lines (php-fpm did). A route whose seconds
// say "alone" at least frontMinSeconds times, and "with it" at most once
// in every frontMaxMixed of those, is answered by the front server: its
// lines are left out of rule 5g's count, the count of each second must
// still agree, and the link says so (inferred). The shop's static GET /
// in the second of a visitor's product page and the probe's status page
// had made one line more than php-fpm's ends, and rule 5g named nothing.
//
// The verdict is the path's, whatever the method: the location that
// answers a path is chosen by the URI alone (a method-bound location,
// nginx's limit_except, is rare on a shop), so where nginx answers GET /
// from its index.html it also answers a scanner's OPTIONS / (405) itself.
// Keyed by method, that OPTIONS line counted as php-fpm's and took the
// place of a worker's end near the second's turn: benign-shop-needledrop's
// probe's date was given the product page before it.
//
// The verdict serves that count only: a route php-fpm did not serve may
// still be another backend's (a proxy_pass to an application server), so
// it stays a candidate of every process. A route whose seconds disagree
// more often keeps being counted, as before.
const (
	frontMinSeconds = 3
	frontMaxMixed   = 8
)

// frontKey is a path of one access-log file on one host (frontPath).
type frontKey struct{ file, host, path string }

// frontPath is route's path, without its method.
func frontPath(route string) string {
	if _, p, ok := strings.Cut(route, " "); ok {
		return p
	}
	return route
}

// frontTally is what the seconds of one route said.
type frontTally struct{ alone, with, other int }

// frontVerdicts holds, for the routes the front server answers itself,
// what their seconds said (why).
type frontVerdicts map[frontKey]frontTally

func (f frontVerdicts) why(file, host, route string) string {
	t := f[frontKey{file, host, frontPath(route)}]
	return fmt.Sprintf("inferred from the log: in %d of its seconds php-fpm's workers ended as many requests as there were PHP script lines without it, in %d as many with it", t.alone, t.with)
}

// frontRoutes returns the routes the front server answers itself (see
// above), read once for the Builder's requests.
func (b *Builder) frontRoutes(reqs []*parser.Event, infos []reqInfo) frontVerdicts {
	if b.frontServed != nil {
		return b.frontServed
	}
	b.frontServed = frontVerdicts{}
	type secKey struct {
		file, host string
		sec        int64
	}
	type secLines struct {
		php    int
		routes map[string]int
		blur   bool
	}
	secs := map[secKey]*secLines{}
	var order []secKey
	hosts := map[string]bool{} // the hosts whose workers' ends are kept
	for _, e := range b.workerAccepts.allEnds() {
		hosts[e.host] = true
	}
	for i := range infos {
		ri := &infos[i]
		file := posOf(ri.ev).File
		if !hosts[ri.ev.Host] {
			continue
		}
		if v := b.verdicts()[file]; v.at != loggedEnd || v.late > 0 || ri.span.endExact {
			continue
		}
		k := secKey{file, ri.ev.Host, ri.ev.Time.Unix()}
		s := secs[k]
		if s == nil {
			s = &secLines{routes: map[string]int{}}
			secs[k] = s
			order = append(order, k)
		}
		h := ri.ev.HTTP
		switch {
		case h == nil || h.Status == 404:
			s.blur = true
		case !ri.eligible:
		case h.Bytes < 0 || h.Bytes > smallResponse || h.Status == 499:
			s.blur = true
		case phpScript(path.Base(h.Path)):
			s.php++
		default:
			s.routes[frontPath(ri.route)]++
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].sec < order[j].sec })
	tally := map[frontKey]frontTally{}
	for _, k := range order {
		s := secs[k]
		if s.blur || len(s.routes) != 1 {
			continue
		}
		ends, ok := b.secondEnds(k.host, time.Unix(k.sec, 0))
		if !ok {
			continue
		}
		for r, n := range s.routes {
			fk := frontKey{k.file, k.host, r}
			t := tally[fk]
			switch len(ends) {
			case s.php:
				t.alone++
			case s.php + n:
				t.with++
			default:
				t.other++
			}
			tally[fk] = t
		}
	}
	for k, t := range tally {
		if t.alone >= frontMinSeconds && t.with*frontMaxMixed <= t.alone {
			b.frontServed[k] = t
		}
	}
	return b.frontServed
}
