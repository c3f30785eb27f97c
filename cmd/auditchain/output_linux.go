package main

import (
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// createUnnamed opens a file with no name in dir (O_TMPFILE): a run killed
// while it writes leaves nothing behind, since the file only gets a name
// (linkUnnamed) once it is whole. Filesystems without O_TMPFILE (some
// network ones) return an error and the caller falls back to a named
// temporary file.
func createUnnamed(dir string) (*os.File, error) {
	if dir == "" {
		dir = "."
	}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)")), nil
}

// linkUnnamed gives an O_TMPFILE file the name name. The /proc path needs
// no privilege; AT_EMPTY_PATH is the way without /proc (it needs
// CAP_DAC_READ_SEARCH).
func linkUnnamed(f *os.File, name string) error {
	err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW)
	if err != nil {
		if err2 := unix.Linkat(int(f.Fd()), "", unix.AT_FDCWD, name, unix.AT_EMPTY_PATH); err2 == nil {
			return nil
		}
	}
	return err
}
