package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// postLoginVia posts a failing login that claims, in X-Forwarded-For, to
// come from xff.
func postLoginVia(a *testenv.App, c *testenv.Client, xff string) *testenv.Response {
	v := url.Values{"email": {"niemand@example.org"}, "password": {"falsches Passwort"}, "_csrf": {c.CSRF()}}
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/anmelden", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", xff)
	return c.Do(req)
}

// TestForwardedForTrustsOnlyConfiguredProxies: with
// MITWIRKEN_TRUSTED_PROXIES set to a proxy that is not the client, a client
// from a private or loopback range cannot choose its own IP by sending
// X-Forwarded-For; the per-IP login limit holds (issue 11, item 6). From a
// configured proxy the header is believed.
func TestForwardedForTrustsOnlyConfiguredProxies(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) {
		c.TrustedProxies = []string{"192.0.2.10", "10.99.0.0/16"}
	}))
	for i := 0; i < 50; i++ {
		if err := a.Store.RecordLoginFailure(context.Background(), hashKey("ip:127.0.0.1")); err != nil {
			t.Fatal(err)
		}
	}
	c := a.Client(t)
	for _, xff := range []string{"203.0.113.7", "10.0.0.5", "192.168.1.20", "169.254.1.1", "::1", "198.51.100.1, 203.0.113.8"} {
		if res := postLoginVia(a, c, xff); res.Status != http.StatusTooManyRequests {
			t.Errorf("a loopback client claiming X-Forwarded-For %q escaped the per-IP limit: %d", xff, res.Status)
		}
	}

	// The loopback address as a configured proxy: its header is believed.
	b := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) {
		c.TrustedProxies = []string{"127.0.0.1"}
	}))
	for i := 0; i < 50; i++ {
		if err := b.Store.RecordLoginFailure(context.Background(), hashKey("ip:203.0.113.7")); err != nil {
			t.Fatal(err)
		}
	}
	bc := b.Client(t)
	if res := postLoginVia(b, bc, "203.0.113.7"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("client behind the configured proxy not recognised: %d", res.Status)
	}
	if res := postLoginVia(b, bc, "203.0.113.9"); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("another client behind the proxy: %d", res.Status)
	}
}
