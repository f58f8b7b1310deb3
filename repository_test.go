package mitwirken_test

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// maxTrackedFile is the largest file the repository may hold outside the
// allow-list: binaries, databases and exports do not belong in git.
const maxTrackedFile = 1 << 20

// largeDataFiles are the data files allowed to be larger.
var largeDataFiles = map[string]bool{}

// TestNoLargeFilesTracked fails when a tracked file is over 1 MB and not on
// the allow-list (a committed 47 MB binary once was).
func TestNoLargeFilesTracked(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	for _, name := range bytes.Split(bytes.TrimRight(out, "\x00"), []byte{0}) {
		path := string(name)
		fi, err := os.Lstat(path)
		if err != nil || fi.IsDir() {
			continue // deleted in the work tree, or a submodule
		}
		if fi.Size() > maxTrackedFile && !largeDataFiles[path] {
			t.Errorf("%s is %.1f MB: keep built files out of git, or add a data file to largeDataFiles", path, float64(fi.Size())/(1<<20))
		}
	}
}
