package jsonrec

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// The exporters write integers as numbers, strings, integral floats or
// beyond int64; times as text or as s/ms/µs/ns since the epoch.
func TestIntAndTime(t *testing.T) {
	ints := []struct {
		in   string
		want Int
	}{
		{`42`, Int{N: 42, Set: true}},
		{`"42"`, Int{N: 42, Set: true}},
		{`33.0`, Int{N: 33, Set: true}},
		{`1e3`, Int{N: 1000, Set: true}},
		{`null`, Int{}},
		{`""`, Int{}},
		{`18446744073709551615`, Int{N: 1<<63 - 1, Set: true}},
	}
	for _, c := range ints {
		var n Int
		if err := json.Unmarshal([]byte(c.in), &n); err != nil || n != c.want {
			t.Errorf("Int(%s) = %+v, %v; want %+v", c.in, n, err, c.want)
		}
	}
	var n Int
	if err := json.Unmarshal([]byte(`1.5`), &n); err == nil {
		t.Errorf("Int(1.5) = %+v, want an error", n)
	}
	if id := (Int{N: 4294967295, Set: true}).ID(); id.Set {
		t.Errorf("ID of 4294967295 = %+v, want unset", id)
	}

	want := time.Date(2026, 11, 25, 20, 15, 22, 0, time.UTC)
	times := []any{
		"2026-11-25T20:15:22Z", "2026-11-25 20:15:22", json.Number("1795637722"),
		json.Number("1795637722000"), json.Number("1795637722000000"), json.Number("1795637722000000000"),
	}
	for _, v := range times {
		if got, ok := AnyTime(v); !ok || !got.Equal(want) {
			t.Errorf("AnyTime(%v) = %v, %v; want %v", v, got, ok, want)
		}
	}
	if _, ok := AnyTime("yesterday"); ok {
		t.Error("AnyTime(yesterday) ok")
	}
}

// Get tries every split of a dotted path: ECS mixes nested objects and
// dotted keys.
func TestGet(t *testing.T) {
	m, err := Decode([]byte(`{"process":{"parent.pid":1},"process.parent":{"name":"sh"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := AnyInt(Get(m, "process.parent.pid")); v != 1 {
		t.Errorf("process.parent.pid = %v", Get(m, "process.parent.pid"))
	}
	if s := Str(m, "process.parent.name"); s != "sh" {
		t.Errorf("process.parent.name = %q", s)
	}
	for _, bad := range []string{`null`, `{"a":1} {"b":2}`, `[1]`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s) succeeded", bad)
		}
	}
}

// A document begun by a line that is exactly "{" is joined until its
// braces balance; one that never ends is abandoned with ErrFormat.
func TestJoiner(t *testing.T) {
	var j Joiner
	var docs []Doc
	for i, l := range []string{`{"one":1}`, `{`, `  "two": "}",`, `  "x": {"y": 2}`, `}`, `{`, `  "open": 1`} {
		docs = j.Feed(event.Pos{Line: i + 1}, []byte(l), docs)
	}
	if len(docs) != 2 || string(docs[0].Doc) != `{"one":1}` || docs[1].Pos.Line != 2 || docs[1].Err != nil {
		t.Fatalf("docs = %+v", docs)
	}
	if _, err := Decode(docs[1].Doc); err != nil {
		t.Errorf("joined document: %v", err)
	}
	d, ok := j.Flush()
	if !ok || !errors.Is(d.Err, event.ErrFormat) || d.Pos.Line != 6 {
		t.Errorf("Flush = %+v, %v; want the open document of line 6 as ErrFormat", d, ok)
	}
}
