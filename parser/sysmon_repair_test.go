package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestSysmonUnknownProcess: Sysmon for Linux names a process it could not
// identify "&lt unknown process&gt " (no ';'); the whole event was dropped
// as malformed. It is read, with the repair reported as a warning.
func TestSysmonUnknownProcess(t *testing.T) {
	// as in a public capture: EventID 1 whose parent Sysmon could not name
	line := `<Event><System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>1</EventID><Version>5</Version><TimeCreated SystemTime="2022-05-11T18:10:21.986000000Z"/><Computer>host-a</Computer></System><EventData>` +
		`<Data Name="UtcTime">2022-05-11 18:10:21.986</Data><Data Name="ProcessId">17791</Data><Data Name="Image">/bin/bash</Data><Data Name="CommandLine">bash -c echo &quot hi&quot  | whoami</Data>` +
		`<Data Name="CurrentDirectory">/</Data><Data Name="User">tomcat</Data><Data Name="ParentProcessId">17790</Data><Data Name="ParentImage">&lt unknown process&gt </Data><Data Name="ParentCommandLine">java</Data><Data Name="ParentUser">tomcat</Data></EventData></Event>`
	evs, errs := ctrDecode(newSysmonDecoder(nil, &Options{}), "sysmon.log", "Nov 25 20:15:55 host-a sysmon: "+line+"\n")
	if len(evs) != 2 {
		t.Fatalf("%d events, want the exec and its parent", len(evs))
	}
	parent, exec := evs[0], evs[1]
	if exec.Exe != "/bin/bash" || fmt.Sprintf("%q", exec.Args) != `["bash" "-c" "echo \"hi\" | whoami"]` {
		t.Errorf("exec %s %q", exec.Exe, exec.Args)
	}
	if parent.Exe != "" || strings.Join(parent.Args, " ") != "java" || parent.PID != 17790 {
		t.Errorf("parent %d %q %q, want 17790, no image, java", parent.PID, parent.Exe, parent.Args)
	}
	var pe *Error
	if len(errs) != 1 || !errors.As(errs[0], &pe) || !errors.Is(pe, ErrRepaired) || pe.Pos.Line != 1 || !strings.Contains(pe.Error(), "4 XML entities") {
		t.Errorf("errors %v, want one ErrRepaired warning at line 1 for 4 entities", errs)
	}
}
