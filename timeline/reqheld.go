package timeline

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// Rule 2b: several requests in flight carry the command's value (rule 2:
// two label prints of one SKU, GET /stock/label.jsp?sku=STRAP-25&copies=1
// and …&copies=3, while stocklabel --sku STRAP-25 --copies 1 runs). A
// request runs its command with its own values; one whose every value
// the command line holds is the only one that can have, when each other
// carrier has a value the command line lacks altogether. Short values count here
// (copies=1's "1" is too plain a word to find a request by, but enough to
// tell two carriers apart), each as a word standing alone, as rule 2
// reads them. Two carriers that both have all their values held (the
// same label printed twice, a request without the option beside one
// with its default) stay for the route history to weigh, or ambiguous.

// allValues is a request's query values, however short, in the order the
// URL gives them (the link quotes them), and its path's ids: everything of
// its own a command it ran may hold.
func allValues(r *parser.HTTPRequest) []string {
	var out []string
	for _, kv := range strings.Split(r.Query, "&") {
		_, v, _ := strings.Cut(kv, "=")
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return withPathIDs(out, r.Path)
}

// heldWhole reports whether the command line holds v as rule 2 reads a
// value: a word, and a plain one standing alone.
func heldWhole(v string, w *cmdWords) bool {
	return hasWord(v) && w.containsWord(v, false) && (!plainWord(v) || w.standsAlone(v))
}

// allHeld returns, of the requests idx that carry the command's value,
// the one whose every value the command line holds, two at least (the
// shared one and one that tells it apart), when each other carrier has a
// value the command line does not contain at all, and the values it
// holds. A value found inside another word ("62" of w=62 in -thumbnail
// 62x62) is not held but not lacking either: that carrier may have run
// the command, and nothing is named.
func allHeld(idx []int, infos []reqInfo, w *cmdWords) (int, []string, bool) {
	best, bestVals := -1, []string(nil)
	for _, i := range idx {
		vals := allValues(infos[i].ev.HTTP)
		all, lacks := true, false
		for _, v := range vals {
			all = all && heldWhole(v, w)
			lacks = lacks || !strings.Contains(w.s, v)
		}
		switch {
		case lacks:
			continue // it did not run this command
		case !all || len(vals) < 2 || best >= 0:
			return -1, nil, false // another carrier may have run it
		}
		best, bestVals = i, vals
	}
	return best, bestVals, best >= 0
}

// quoteJoin renders values as "a", "b" and "c".
func quoteJoin(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
