package report

import (
	"reflect"
	"strings"
)

// makeVisible runs every string of a freshly built Document through
// sanitize, so that control characters in evidence show in the HTML report
// as the escapes the text report uses (\x1b) instead of reaching the page
// as invisible bytes. html/template still does the HTML escaping; this only
// makes the invisible visible. Raw records keep their line breaks: each
// line is sanitized on its own. The Document must be the writer's own copy.
func makeVisible(d *Document) {
	visit(reflect.ValueOf(d).Elem(), "")
}

func visit(v reflect.Value, field string) {
	switch v.Kind() {
	case reflect.String:
		if !v.CanSet() {
			return
		}
		s := v.String()
		if field == "Raw" {
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				lines[i] = sanitize(l)
			}
			v.SetString(strings.Join(lines, "\n"))
			return
		}
		v.SetString(sanitize(s))
	case reflect.Pointer:
		if !v.IsNil() {
			visit(v.Elem(), field)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() {
				visit(v.Field(i), t.Field(i).Name)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			visit(v.Index(i), field)
		}
	}
}
