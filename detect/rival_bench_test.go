package detect

import (
	"context"
	"testing"

	"github.com/auditchain/auditchain/parser"
	"github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
)

// rivalRule is one process_creation rule in plain Sigma, the shape of our
// headline rule cut down to what sigma-go's evaluator runs.
const rivalRule = `
title: Web Server Shell With Suspicious Arguments
id: 5d6a1b1e-0000-4000-8000-000000000001
logsource: {category: process_creation, product: linux}
detection:
  parent:
    ParentImage|endswith: [/nginx, /apache2, /httpd, /php-fpm8.2, /php-fpm, /gunicorn]
  child:
    Image|endswith: [/sh, /bash, /dash]
    CommandLine|contains: ' -c '
  sus:
    CommandLine|contains: [/dev/tcp, base64 -d, /etc/shadow, 'nc -e', /tmp/, chmod +x]
  condition: parent and child and sus
level: high
`

// BenchmarkSigmaGoEvaluator is the rival of BenchmarkObserve: sigma-go's own
// evaluator running ONE rule on the lab's exec events, mapped to Sigma
// fields. It is why the engine evaluates rules itself (sigma-go still reads
// them): one rule here costs about as much per exec event as all built-in
// rules together in BenchmarkObserve.
func BenchmarkSigmaGoEvaluator(b *testing.B) {
	dir := labCapture(b)
	evs, _ := labEvents(b, dir)
	r, err := sigma.ParseRule([]byte(rivalRule))
	if err != nil {
		b.Fatal(err)
	}
	eval := evaluator.ForRule(r)
	var docs []map[string]interface{}
	for _, ev := range evs {
		if ev.Kind != parser.KindExec || ev.Proc == nil {
			continue
		}
		parent := ""
		if ev.Proc.Parent != nil {
			parent = ev.Proc.Parent.Exe
		}
		docs = append(docs, map[string]interface{}{
			"Image": ev.Exe, "CommandLine": ev.Proc.CommandLine(), "ParentImage": parent,
			"User": ev.User, "CurrentDirectory": ev.Cwd,
		})
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := eval.Matches(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}
