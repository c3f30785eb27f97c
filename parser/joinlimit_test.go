package parser

import (
	"errors"
	"strings"
	"testing"
)

// TestJoinLimit: a line rebuilt from partial chunks is emitted cut at
// MaxJoinedLine, the rest of it dropped up to its last chunk, and the cut
// reported once with file:line; the lines after it read as usual.
func TestJoinLimit(t *testing.T) {
	cri := func(tag, text string) string { return "2026-11-25T20:15:22.5Z stdout " + tag + " " + text + "\n" }
	json := func(text string) string { return dockerRecord(text, "stdout", "2026-11-25T20:15:22Z") + "\n" }
	chunk := strings.Repeat("x", 40)
	for _, c := range []struct {
		name     string
		dec      decoder
		in       string
		messages []string // Message of each event
		errLine  int      // line of the reported cut; 0: none
		wantErr  string
	}{
		{"CRI under the bound", newCRIDecoder(nil, &Options{Limits: Limits{MaxJoinedLine: 100}}),
			cri("P", chunk) + cri("F", "end"), []string{chunk + "end"}, 0, ""},
		{"CRI partial line that never ends", newCRIDecoder(nil, &Options{Limits: Limits{MaxJoinedLine: 100}}),
			cri("F", "before") + strings.Repeat(cri("P", chunk), 50),
			[]string{"before", strings.Repeat(chunk, 3)[:100]}, 4, "a stdout line joined from partial chunks since line 2 passed 100 bytes (--max-joined-line): its first 100 bytes kept as one event, the rest of the line, up to its last chunk, dropped"},
		{"CRI long line that ends, then the next", newCRIDecoder(nil, &Options{Limits: Limits{MaxJoinedLine: 100}}),
			strings.Repeat(cri("P", chunk), 5) + cri("F", "tail") + cri("F", "after"),
			[]string{strings.Repeat(chunk, 3)[:100], "after"}, 3, "up to its last chunk, dropped"},
		{"CRI last chunk passes the bound", newCRIDecoder(nil, &Options{Limits: Limits{MaxJoinedLine: 100}}),
			cri("P", chunk) + cri("P", chunk) + cri("F", chunk) + cri("F", "after"),
			[]string{strings.Repeat(chunk, 3)[:100], "after"}, 3, "the rest of this chunk dropped"},
		{"json-file partial line that never ends", newDockerJSONDecoder(nil, &Options{Limits: Limits{MaxJoinedLine: 100}}),
			strings.Repeat(json(chunk), 50), []string{strings.Repeat(chunk, 3)[:100]}, 3, "a stdout line joined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			evs, errs := ctrDecode(c.dec, "0.log", c.in)
			var got []string
			for _, ev := range evs {
				got = append(got, ev.Message)
			}
			if strings.Join(got, "|") != strings.Join(c.messages, "|") {
				t.Errorf("events %q, want %q", got, c.messages)
			}
			if c.errLine == 0 {
				if len(errs) > 0 {
					t.Errorf("errors %v, want none", errs)
				}
				return
			}
			var pe *Error
			if len(errs) != 1 || !errors.As(errs[0], &pe) || !errors.Is(pe, ErrJoinLimit) || pe.Pos.Line != c.errLine || !strings.Contains(pe.Error(), c.wantErr) {
				t.Errorf("errors %v, want one ErrJoinLimit at line %d with %q", errs, c.errLine, c.wantErr)
			}
		})
	}
}

// FuzzCRIPartialJoin: however chunks of the two streams interleave, no
// joined line holds more than the bound, and each cut has its file:line.
func FuzzCRIPartialJoin(f *testing.F) {
	f.Add([]byte("2026-11-25T20:15:22.1Z stdout P aaaaaaaaaaaaaaaaaaaa\n2026-11-25T20:15:22.2Z stderr P bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n2026-11-25T20:15:22.1Z stdout P aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n2026-11-25T20:15:22.3Z stdout F c\n"))
	f.Add([]byte(strings.Repeat("2026-11-25T20:15:22.1Z stdout P 0123456789abcdef\n", 10)))
	const max = 32
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, errs := ctrDecode(newCRIDecoder(nil, &Options{Limits: Limits{MaxJoinedLine: max}}), "0.log", string(data))
		ctrCheckEvents(t, evs)
		for _, err := range errs {
			var pe *Error
			if !errors.As(err, &pe) || pe.Pos.Line == 0 {
				t.Fatalf("error %v without file:line", err)
			}
		}
		for _, ev := range evs {
			// a joined line (its records "\n"-joined) holds at most the bound
			joined := strings.Contains(ev.Evidence[0].Raw, "\n")
			if ev.Kind == KindOther && joined && len(ev.Message) > max {
				t.Fatalf("joined event of %d bytes past the bound of %d: %q", len(ev.Message), max, ev.Message)
			}
		}
	})
}
