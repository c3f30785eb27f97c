// Package detect turns events with their process-tree context into
// findings. Rules are data: Sigma YAML, embedded, plus the user's own; each
// match is placed on one of the eight stages of the web-server attack chain
// (stage.go is the single source of truth for them) by what the matched
// activity does.
package detect
