package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Soffice finds LibreOffice's soffice. When it is missing and the test runs
// as root with apt-get (as `make test` and CI do), it installs Debian's
// libreoffice-calc; otherwise the test fails saying what to install (never
// a silent skip).
func Soffice(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("soffice"); err == nil {
		return p
	}
	if apt, err := exec.LookPath("apt-get"); err == nil && os.Geteuid() == 0 {
		t.Log("installing libreoffice-calc (Debian) for the spreadsheet tests")
		_ = exec.Command(apt, "update", "-qq").Run()
		cmd := exec.Command(apt, "install", "-y", "-qq", "--no-install-recommends", "libreoffice-calc")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("apt-get install libreoffice-calc: %v\n%s", err, out)
		}
		if p, err := exec.LookPath("soffice"); err == nil {
			return p
		}
	}
	t.Fatal("LibreOffice (soffice) not found: install Debian's libreoffice-calc (apt-get install libreoffice-calc)")
	return ""
}

// ConvertWithLibreOffice has LibreOffice open file and save it as format
// (e.g. "xlsx") in a new directory; it returns the written file.
func ConvertWithLibreOffice(t testing.TB, file, format string) string {
	t.Helper()
	soffice := Soffice(t)
	out := t.TempDir()
	profile := "file://" + filepath.ToSlash(t.TempDir())
	cmd := exec.Command(soffice, "-env:UserInstallation="+profile, "--headless", "--norestore", "--convert-to", format, "--outdir", out, file)
	done := make(chan error, 1)
	var output []byte
	go func() {
		var err error
		output, err = cmd.CombinedOutput()
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, output)
		}
	case <-time.After(5 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("soffice --convert-to %s did not finish", format)
	}
	base := filepath.Base(file)
	converted := filepath.Join(out, base[:len(base)-len(filepath.Ext(base))]+"."+format)
	if _, err := os.Stat(converted); err != nil {
		t.Fatalf("soffice wrote no %s: %v\n%s", converted, err, fmt.Sprint(string(output)))
	}
	return converted
}
