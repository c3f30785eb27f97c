package auditd

import "testing"

func TestUserMessage(t *testing.T) {
	for _, c := range []struct {
		body, head, msg, tail string
		ok                    bool
	}{
		{"pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=x exe=\"/a\" res=success'", "pid=1 uid=0 auid=4294967295 ses=4294967295 ", "op=x exe=\"/a\" res=success", "", true},
		// a quote of the sender's own: the message runs to the last quote
		{"pid=1 msg='text=a' auid=0 exe=\"/b\" res=success'", "pid=1 ", "text=a' auid=0 exe=\"/b\" res=success", "", true},
		{"pid=1 submsg='x'", "", "", "", false},
		{"pid=1 msg='", "", "", "", false},
		{"op=add_rule key=\"k\" list=4 res=1", "", "", "", false},
	} {
		h, m, tl, ok := userMessage(c.body)
		if h != c.head || m != c.msg || tl != c.tail || ok != c.ok {
			t.Errorf("userMessage(%q) = %q, %q, %q, %v", c.body, h, m, tl, ok)
		}
	}
}

func TestUserFieldsLastTrailerWins(t *testing.T) {
	var got []string
	userFields(`text=x exe="/usr/sbin/sshd" addr=6.6.6.6 op=login exe="/usr/sbin/auditctl" hostname=? addr=? terminal=? res=success`, func(f field) bool {
		got = append(got, f.Key+"="+f.Value)
		return true
	})
	want := []string{"exe=/usr/sbin/auditctl", "hostname=?", "addr=?", "terminal=?", "res=success", "text=x", "exe=/usr/sbin/sshd", "addr=6.6.6.6", "op=login"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// FuzzUserMessage: the split gives back the body, and userFields hands on
// every field the message holds, once.
func FuzzUserMessage(f *testing.F) {
	f.Add("pid=1 uid=0 auid=4294967295 ses=4294967295 msg='text=hello' type=EXECVE msg=audit(1.1:1): a0=\"rm\" key=\"k\" exe=\"/a\" res=success'")
	f.Add("msg=''")
	f.Add("a msg='b' c msg='d' e")
	f.Fuzz(func(t *testing.T, body string) {
		h, m, tl, ok := userMessage(body)
		if !ok {
			return
		}
		if h+"msg='"+m+"'"+tl != body {
			t.Fatalf("split %q into %q %q %q", body, h, m, tl)
		}
		n := 0
		scanFields(m, func(field) bool { n++; return true })
		k := 0
		userFields(m, func(field) bool { k++; return true })
		if n != k {
			t.Fatalf("%d fields, %d handed on", n, k)
		}
	})
}
