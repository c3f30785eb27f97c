// Package timeline groups findings into attack chains, one per intrusion,
// links them by evidence (ancestry, web account and session, files written
// then executed, network peers, container), lays each chain on the eight
// stages of package detect, and says which stages the inputs could not show.
package timeline
