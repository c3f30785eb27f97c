package detect

import (
	"slices"
	"testing"
)

func TestLoadedCode(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"/bin/sh", "/tmp/r.sh"}, []string{"/tmp/r.sh"}},
		{[]string{"python3", "-c", "print(1)"}, nil},
		{[]string{"/usr/bin/setsid", "/usr/bin/python3", "-u", "/var/tmp/.b.py"}, []string{"/var/tmp/.b.py"}},
		{[]string{"nohup", "env", "A=1", "perl", "/dev/shm/x.pl"}, []string{"/dev/shm/x.pl"}},
		{[]string{"/usr/bin/setsid", "/usr/bin/java", "-Xmx32m", "-cp", "/usr/share/java/m.jar:/opt/a.jar", "m.Sync"},
			[]string{"/usr/share/java/m.jar", "/opt/a.jar"}},
		{[]string{"/usr/bin/java", "-javaagent:/srv/w/.j/s.jar=/srv/w/.j/r.sh", "-cp", "/srv/app.jar", "app.Main", "-cp", "/x"},
			[]string{"/srv/w/.j/s.jar", "/srv/app.jar"}},
		{[]string{"java", "-jar", "/tmp/t.jar", "arg"}, []string{"/tmp/t.jar"}},
		{[]string{"java", "-agentpath:/tmp/libx.so", "Main"}, []string{"/tmp/libx.so"}},
		// not a runner: an argument naming a jar is data
		{[]string{"cat", "/usr/share/java/m.jar"}, nil},
		{[]string{"setsid", "cp", "/tmp/a", "/tmp/b"}, nil},
	} {
		if got := loadedCode(c.args); !slices.Equal(got, c.want) {
			t.Errorf("loadedCode(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestJarPlantedAndLoaded: a jar the web shell's root installs into the
// runtime's library folder is planted (stage 5); root's job starting a
// detached JVM with it on the class path is the plant firing, once per
// launch (setsid's exec and the JVM's in the same pid are one).
func TestJarPlantedAndLoaded(t *testing.T) {
	jar := "/usr/share/java/jvm-metrics.jar"
	e, s := webShellScene(t)
	f := findingOf(e.Observe(s.exec(210, 201, 0, "root", "/", "/usr/bin/install", "install", "-m", "644", "/srv/app/work/m.jar", jar), s.tree), "web-program-planted")
	if f == nil || f.Stage != StagePersistence {
		t.Fatalf("a jar installed into /usr/share/java from the web shell: %v, want web-program-planted on stage 5", f)
	}
	s.exec(400, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
	s.exec(401, 400, 0, "root", "/", "/usr/bin/java", "/usr/bin/java", "-cp", "/srv/app/lib/app.jar", "app.Rollup")
	run := findingOf(e.Observe(s.exec(402, 401, 0, "root", "/", "/usr/bin/setsid", "/usr/bin/setsid", "/usr/bin/java", "-Xmx32m", "-cp", jar, "m.Sync"), s.tree), "planted-file-run")
	if run == nil || run.Stage != StagePersistence {
		t.Fatalf("root's JVM starting the planted jar: %v, want planted-file-run on stage 5", run)
	}
	// setsid execs the JVM in its own pid: the same launch, not a second
	// firing nor the tool in use
	if again := findingOf(e.Observe(s.exec(402, 401, 0, "root", "/", "/usr/bin/java", "/usr/bin/java", "-Xmx32m", "-cp", jar, "m.Sync"), s.tree), "planted-file-run"); again != nil {
		t.Errorf("the JVM setsid exec'd in the same process: %s, want no second finding for the one launch", again.Title)
	}
	// the job starting it again the next minute is a firing again
	s.exec(410, 400, 0, "root", "/", "/usr/bin/java", "/usr/bin/java", "-cp", "/srv/app/lib/app.jar", "app.Rollup")
	next := findingOf(e.Observe(s.exec(411, 410, 0, "root", "/", "/usr/bin/setsid", "/usr/bin/setsid", "/usr/bin/java", "-Xmx32m", "-cp", jar, "m.Sync"), s.tree), "planted-file-run")
	if next == nil || next.Title != "Planted Persistence Fired" {
		t.Errorf("the next minute's launch: %v, want the plant firing again", next)
	}
}
