// Command httpload is the load client of `make bench` for pages: a fixed
// number of keep-alive connections GET one URL in a closed loop for a given
// time, reading every body to the end. It prints one JSON line with the
// rate, so that the benchmark compares servers through the same client.
//
//	httpload -url http://127.0.0.1:8080/entwurf/x -c 10 -d 5s [-H 'Accept-Language: de']
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

// Result is what httpload prints.
type Result struct {
	Requests  int64   `json:"requests"`
	Errors    int64   `json:"errors"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"per_second"`
	Bytes     int64   `json:"bytes_per_response"`
}

func main() {
	target := flag.String("url", "", "URL to GET")
	conns := flag.Int("c", 10, "connections (one request at a time each)")
	duration := flag.Duration("d", 5*time.Second, "measuring time")
	var hs headers
	flag.Var(&hs, "H", "request header 'Name: value' (repeatable)")
	flag.Parse()
	if *target == "" {
		fmt.Fprintln(os.Stderr, "httpload: -url is required")
		os.Exit(2)
	}
	res, err := run(*target, *conns, *duration, hs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpload:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}

func run(target string, conns int, duration time.Duration, hs headers) (Result, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	client := &http.Client{Transport: tr}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return Result{}, err
	}
	for _, h := range hs {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	var ok, failed, size atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(duration)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				size.Store(n)
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	return Result{Requests: ok.Load(), Errors: failed.Load(), Seconds: secs, PerSecond: float64(ok.Load()) / secs, Bytes: size.Load()}, nil
}
