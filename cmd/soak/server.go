package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mitwirken/mitwirken/cmd/internal/proc"

	"github.com/mitwirken/mitwirken/app/platform"
)

// serve runs one platform instance in this process (-mode server), as
// `mitwirken serve` would, and prints its address once it listens.
func serve(dbURL string, maxConns int) {
	cfg := platform.Config{Addr: "127.0.0.1:0", DatabaseURL: dbURL, AutoMigrate: false, PlatformName: "mitwirken Leipzig",
		MailInterval: 5 * time.Second, LogFormat: "text", LogLevel: "error", BodyLimit: "2M", DBMaxConns: maxConns,
		ShutdownTimeout: 5 * time.Second, SecretKey: "soak-secret"}
	p, err := platform.Open(context.Background(), cfg, platform.Options{LogOutput: os.Stderr})
	if err != nil {
		log.Fatal(err)
	}
	p.Start()
	fmt.Printf("READY %s\n", p.URL())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	<-sig
	_ = p.Close()
}

// instance is a child process running the real server.
type instance struct {
	cmd *exec.Cmd
	url string
}

func startInstance(dbURL string, maxConns int) (*instance, error) {
	cmd := exec.Command(os.Args[0], "-mode", "server", "-db", dbURL, "-db-max-conns", strconv.Itoa(maxConns))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("server did not start: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 2 || f[0] != "READY" {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("server said %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return &instance{cmd: cmd, url: f[1]}, nil
}

func (i *instance) stop() {
	_ = i.cmd.Process.Signal(syscall.SIGTERM)
	_ = i.cmd.Wait()
}

// rss is the resident memory of the child process in bytes, as the
// operator pays it (no collection forced).
func (i *instance) rss() uint64 { return proc.RSS(i.cmd.Process.Pid) }
