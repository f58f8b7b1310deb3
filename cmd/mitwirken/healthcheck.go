package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app/platform"
)

// runHealthcheck asks the local server's /readyz, for container health
// checks in images without curl.
func runHealthcheck(ctx context.Context, env *cliEnv, _ []string) error {
	cfg, err := platform.FromEnv()
	if err != nil {
		return err
	}
	addr := cfg.Addr
	if strings.HasPrefix(addr, "0.0.0.0:") || strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1:" + addr[strings.LastIndexByte(addr, ':')+1:]
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("nicht bereit: %s", res.Status)
	}
	fmt.Fprintln(env.stdout, "bereit")
	return nil
}
