package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// HTMLChecker collects HTML documents during a test and checks them all
// with the Nu HTML Checker (vnu.jar from the npm package vnu-jar) in one
// Java run: starting the JVM once per document would take minutes.
type HTMLChecker struct {
	jar, java string
	dir       string
	mu        sync.Mutex
	labels    map[string]string // file name → label
}

// HTMLMessage is one finding of the checker.
type HTMLMessage struct {
	Type    string `json:"type"`    // error, info, non-document-error
	SubType string `json:"subType"` // "warning" for warnings
	URL     string `json:"url"`
	Line    int    `json:"lastLine"`
	Message string `json:"message"`
	Extract string `json:"extract"`
}

// Error reports whether the message makes the document invalid.
func (m HTMLMessage) Error() bool { return m.Type == "error" || m.Type == "non-document-error" }

// Warning reports whether the message is a warning.
func (m HTMLMessage) Warning() bool { return m.Type == "info" && m.SubType == "warning" }

func (m HTMLMessage) String() string {
	kind := m.Type
	if m.Warning() {
		kind = "warning"
	}
	return fmt.Sprintf("line %d: %s: %s\n      %s", m.Line, kind, m.Message, strings.TrimSpace(m.Extract))
}

// NewHTMLChecker finds Java and vnu.jar; a missing part fails the test
// (never a silent skip).
func NewHTMLChecker(t testing.TB) *HTMLChecker {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatal("java not found: `make test` installs Debian's default-jre-headless; otherwise install a Java runtime (11 or newer)")
	}
	jar, err := findNodeModule(filepath.Join("vnu-jar", "build", "dist", "vnu.jar"))
	if err != nil {
		t.Fatal(err)
	}
	return &HTMLChecker{jar: jar, java: java, dir: t.TempDir(), labels: map[string]string{}}
}

// Add stores a document under a label for the check.
func (h *HTMLChecker) Add(t testing.TB, label, html string) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	name := strconv.Itoa(len(h.labels)) + ".html"
	if err := os.WriteFile(filepath.Join(h.dir, name), []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	h.labels[name] = label
}

// Check runs the checker over every document added and returns the
// messages by label.
func (h *HTMLChecker) Check(ctx context.Context) (map[string][]HTMLMessage, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string][]HTMLMessage{}
	if len(h.labels) == 0 {
		return out, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	// Exit status 1 only means "errors found"; the JSON says which.
	cmd := exec.CommandContext(ctx, h.java, "-Xss4m", "-jar", h.jar, "--format", "json", "--stdout", h.dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var report struct {
		Messages []HTMLMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		return nil, fmt.Errorf("vnu.jar: %v (%v): %s", err, runErr, stderr.String())
	}
	for _, m := range report.Messages {
		label, ok := h.labels[filepath.Base(m.URL)]
		if !ok {
			return nil, fmt.Errorf("vnu.jar: message about an unknown document %s: %s", m.URL, m.Message)
		}
		out[label] = append(out[label], m)
	}
	return out, nil
}

// findNodeModule finds a file below node_modules in the working directory
// or one of its parents (installed by `make test` from package-lock.json).
func findNodeModule(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "node_modules", rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("node_modules/%s not found: run `npm ci --ignore-scripts` in the repository root (make test does)", filepath.ToSlash(rel))
		}
		dir = parent
	}
}
