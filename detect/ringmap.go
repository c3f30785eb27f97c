package detect

// ringMap is a map that holds at most max keys: a new key past that
// replaces the oldest one put (a ring of insertion order), and putting a
// key again only replaces its value. The engine's "latest per key" memories
// (the latest exec by pid, a client's latest success at an area) are
// bounded so, whatever the log's length.
type ringMap[K comparable, V any] struct {
	m     map[K]V
	order []K
	next  int
}

// put sets k's value, evicting the oldest key when max are held, and
// reports whether it evicted one (for the report's note of what the
// bounds let go).
func (r *ringMap[K, V]) put(k K, v V, max int) (evicted bool) {
	if r.m == nil {
		r.m = make(map[K]V)
		r.order = make([]K, 0, min(max, 1024))
	}
	if _, ok := r.m[k]; !ok {
		if len(r.order) < max {
			r.order = append(r.order, k)
		} else {
			delete(r.m, r.order[r.next])
			r.order[r.next] = k
			r.next = (r.next + 1) % max
			evicted = true
		}
	}
	r.m[k] = v
	return evicted
}

// get returns k's value.
func (r *ringMap[K, V]) get(k K) (V, bool) {
	v, ok := r.m[k]
	return v, ok
}
