package linediff

import (
	"fmt"
	"testing"
)

func TestDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n"
	b := "1\ntwo\n3\n4\n5\n6\n7\n8\nnine\n"
	want := " 1\n-2\n+two\n 3\n 4\n@@\n 7\n 8\n-9\n+nine\n"
	if got := Diff(a, b); got != want {
		t.Errorf("Diff:\n%s\nwant\n%s", got, want)
	}
	if Diff(a, a) != "" {
		t.Error("Diff of equal texts is not empty")
	}
}

func ExampleDiff() {
	fmt.Print(Diff("sh -c id\nexit\n", "sh -c id\nbash -i\nexit\n"))
	// Output:
	//  sh -c id
	// +bash -i
	//  exit
}
