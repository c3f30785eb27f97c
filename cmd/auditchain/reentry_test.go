package main

import (
	"strings"
	"testing"
)

// TestReentryThroughBackdoor: on cgi-backdoor the attacker plants
// .user.ini (auto_prepend_file) and comes back with GET /help.php, a page
// that ran nothing before; on apache-eval it appends code to the footer
// every page includes and comes back through GET /feedback.php. Each such
// request is marked as a re-entry through the planted file, with its
// evidence, and the chain's summary tells it in a sentence of its own. The
// benign requests to /status.php (under the same folder, running uptime
// since before the plant) are not re-entries, and no other capture has any.
func TestReentryThroughBackdoor(t *testing.T) {
	type report struct {
		Chains []struct {
			ID       string `json:"id"`
			Requests []struct {
				URL      string   `json:"url"`
				Args     []string `json:"args"`
				Backdoor string   `json:"backdoor"`
				Reason   string   `json:"reason"`
			} `json:"requests"`
		} `json:"chains"`
		Summary struct {
			Chains []struct {
				Sentences []struct {
					Text string `json:"text"`
				} `json:"sentences"`
			} `json:"chains"`
		} `json:"summary"`
	}
	for _, c := range []struct {
		dir, door, evidence string // the backdoor, and what its reason must say
		min                 int    // re-entries at least
	}{
		{"cgi-backdoor", "/srv/reports/www/.user.ini", "under /srv/reports/www/.user.ini", 10},
		// the footer included by every page: the re-entries' requests are
		// mostly ambiguous among the readers' in flight, and claimed for
		// whichever it was
		{"apache-eval", "/srv/kb/www/inc/footer.php", "whose inc/footer.php was changed", 4},
		{"node-api", "", "", 0},
		{"webshell-classic", "", "", 0},
		{"benign-busy", "", "", 0},
		// the marketing mail template saved from the back office (a
		// medium template change by php-fpm itself, through no act that
		// showed intent) is no backdoor: the admin's banner import after
		// it is no re-entry
		{"benign-shop-promo", "", "", 0},
	} {
		var rep report
		scanInto(t, &rep, "../../testdata/lab/"+c.dir+"/")
		n := 0
		for _, ch := range rep.Chains {
			for _, r := range ch.Requests {
				if r.Backdoor == "" {
					continue
				}
				n++
				if r.Backdoor != c.door {
					t.Errorf("%s: %s marked as re-entry through %s", c.dir, r.URL, r.Backdoor)
				}
				if !strings.Contains(r.Reason, "before the plant") || !strings.Contains(r.Reason, c.evidence) {
					t.Errorf("%s: re-entry reason without its evidence: %s", c.dir, r.Reason)
				}
			}
		}
		said := false
		for _, ch := range rep.Summary.Chains {
			for _, s := range ch.Sentences {
				said = said || strings.HasPrefix(s.Text, "Re-entry through the backdoor ")
			}
		}
		if c.min > 0 && (n < c.min || !said) {
			t.Errorf("%s: %d re-entries (want %d or more), sentence said %v", c.dir, n, c.min, said)
		}
		if c.min == 0 && (n > 0 || said) {
			t.Errorf("%s: %d re-entries where the capture has none", c.dir, n)
		}
	}
}
