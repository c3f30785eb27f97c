package event

import "time"

// rare is what few events carry: an audit record has no container, wrapper
// time or alert, and an event keeps only a pointer for them (nil when it
// has none). The setters copy it before writing, so events copied by value
// (a sensor's synthesized parent exec) never change each other.
type rare struct {
	container Container
	wrapper   time.Time
	alert     *Alert
}

// Container is the container the event happened in; zero when unknown.
func (e *Event) Container() Container {
	if e.rare == nil {
		return Container{}
	}
	return e.rare.container
}

// SetContainer sets the event's container.
func (e *Event) SetContainer(c Container) {
	if e.rare == nil && c.IsZero() {
		return
	}
	r := e.ownRare()
	r.container = c
}

// Wrapper is the container log's own time of an access line whose time
// disagrees with it by more than parser.WrapperSkew; zero otherwise. Read
// it with parser.WrapperTime.
func (e *Event) Wrapper() time.Time {
	if e.rare == nil {
		return time.Time{}
	}
	return e.rare.wrapper
}

// SetWrapper sets the wrapper time (see Wrapper).
func (e *Event) SetWrapper(t time.Time) {
	if e.rare == nil && t.IsZero() {
		return
	}
	e.ownRare().wrapper = t
}

// Alert is the detection another sensor raised, for KindAlert; nil
// otherwise.
func (e *Event) Alert() *Alert {
	if e.rare == nil {
		return nil
	}
	return e.rare.alert
}

// SetAlert sets the event's alert.
func (e *Event) SetAlert(a *Alert) {
	if e.rare == nil && a == nil {
		return
	}
	e.ownRare().alert = a
}

// ownRare returns a rare of e's own, a copy of the one it shared.
func (e *Event) ownRare() *rare {
	r := new(rare)
	if e.rare != nil {
		*r = *e.rare
	}
	e.rare = r
	return r
}
