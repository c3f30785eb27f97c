package proctree

import "testing"

// TestHeld: a pinned process is counted once, its ancestors that nobody
// pinned once each however many pinned processes they are above; an
// Unpin gives the count back.
func TestHeld(t *testing.T) {
	tr := NewTree()
	for _, e := range []*Event{
		ev(1, KindExec, 10, 1, "/usr/sbin/php-fpm8.2", "php-fpm: master process"),
		ev(2, KindExec, 20, 10, "/usr/sbin/php-fpm8.2", "php-fpm: pool www"),
		ev(3, KindExec, 30, 20, "/bin/sh", "sh", "-c", "id"),
		ev(4, KindExec, 31, 20, "/bin/sh", "sh", "-c", "uname"),
		ev(5, KindExec, 40, 1, "/usr/sbin/cron", "cron"),
	} {
		tr.Observe(e)
	}
	a, b := tr.ByPID("", 30)[0], tr.ByPID("", 31)[0]
	if h := tr.Held(); h.Pinned != 0 || h.Ancestors != 0 || h.InMemory < 5 {
		t.Fatalf("nothing pinned: %+v", h)
	}
	a.Pin()
	b.Pin()
	h := tr.Held()
	// pid 1 is a placeholder above master and cron: master, worker, pid 1
	if h.Pinned != 2 || h.Ancestors != 3 {
		t.Errorf("two shells of one worker pinned: %+v, want 2 pinned and 3 above them", h)
	}
	a.Unpin()
	b.Unpin()
	if h := tr.Held(); h.Pinned != 0 || h.Ancestors != 0 {
		t.Errorf("after Unpin: %+v", h)
	}
}
