package detect

import (
	"path/filepath"
	"testing"
)

// TestSigmaHQDottedFilter: SigmaHQ's proc_creation_lnx_susp_sensitive_file_access.yml,
// unmodified, loads and applies its filter_main_mdadm.conf search.
func TestSigmaHQDottedFilter(t *testing.T) {
	p := filepath.Join("..", "testdata", "sigmahq", "rules", "linux", "process_creation", "proc_creation_lnx_susp_sensitive_file_access.yml")
	e, err := LoadRuleFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	if fs := e.Observe(s.exec(100, 1, 0, "root", "/", "/usr/bin/sed", "sed", "-i", "s/a/b/", "/etc/hosts"), s.tree); len(fs) != 1 {
		t.Errorf("sed -i on /etc/hosts: %d findings, want 1", len(fs))
	}
	if fs := e.Observe(s.exec(101, 1, 0, "root", "/", "/usr/bin/sed", "sed", "-ne", "s/^ARRAY/x/p", "/etc/mdadm/mdadm.conf"), s.tree); len(fs) != 0 {
		t.Errorf("sed -ne s/^ on mdadm.conf (filter_main_mdadm.conf): %d findings, want 0", len(fs))
	}
}
