package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The parallel list encoder must write exactly what a sequential loop
// writes, whatever the length: empty, shorter than the workers, and
// across batch boundaries.
func TestWriteElemsSequentialBytes(t *testing.T) {
	type elem struct {
		N    int    `json:"n"`
		Text string `json:"text"`
	}
	for _, n := range []int{1, 2, 3, elemBatch - 1, elemBatch, elemBatch + 1, 2*elemBatch + 7} {
		list := make([]elem, n)
		for i := range list {
			list[i] = elem{i, fmt.Sprintf("<%d> & \"x\"", i)}
		}
		var want strings.Builder
		for i, e := range list {
			if i > 0 {
				want.WriteString(",")
			}
			b, _ := json.Marshal(e)
			b = bytes.ReplaceAll(b, []byte(`\u003c`), []byte("<")) // SetEscapeHTML(false)
			b = bytes.ReplaceAll(b, []byte(`\u003e`), []byte(">"))
			b = bytes.ReplaceAll(b, []byte(`\u0026`), []byte("&"))
			want.WriteString("\n    ")
			want.Write(b)
		}
		var got bytes.Buffer
		if err := writeElems(&got, reflect.ValueOf(list)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%d elements: the parallel encoding differs from the sequential one", n)
		}
	}
}
