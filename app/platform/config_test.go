package platform_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app/platform"
)

// TestEveryVariableIsDocumented: the README's configuration table and the
// example environment file name every variable the platform reads.
func TestEveryVariableIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../deploy/mitwirken.env.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range platform.Variables {
		if !strings.Contains(string(readme), "`"+v.Name+"`") {
			t.Errorf("README.md does not document %s", v.Name)
		}
		name := strings.Fields(v.Name)[0]
		if !strings.Contains(name, "<") && !strings.Contains(string(example), name) {
			t.Errorf("deploy/mitwirken.env.example lacks %s", name)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("MITWIRKEN_DATABASE_URL", "")
	cfg, err := platform.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || !cfg.AutoMigrate || cfg.MailInterval != 5*time.Second || cfg.ShutdownTimeout != 10*time.Second ||
		cfg.RegistrationsAtOnce != 4 {
		t.Fatalf("defaults: %+v", cfg)
	}
	t.Setenv("MITWIRKEN_OAUTH_PROVIDERS", "github")
	t.Setenv("MITWIRKEN_OAUTH_GITHUB_KEY", "k")
	if cfg, _ = platform.FromEnv(); len(cfg.OAuthProviders) != 1 || cfg.OAuthProviders[0].Key != "k" {
		t.Fatalf("oauth providers: %+v", cfg.OAuthProviders)
	}
	for name, bad := range map[string]string{
		"MITWIRKEN_BASE_URL": "ftp://x", "MITWIRKEN_AUTO_MIGRATE": "vielleicht", "MITWIRKEN_MAIL_INTERVAL": "bald",
		"MITWIRKEN_LOG_FORMAT": "xml", "MITWIRKEN_OIDC_ISSUER": "https://id.example",
		"MITWIRKEN_LOG_LEVEL": "verbose", "MITWIRKEN_BODY_LIMIT": "zwei", "MITWIRKEN_DB_MAX_CONNS": "0",
		"MITWIRKEN_REGISTRATIONS_AT_ONCE": "0",
		"MITWIRKEN_TRUSTED_PROXIES":       "10.0.0.0/8, proxy.intern",
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, bad)
			if _, err := platform.FromEnv(); err == nil || !strings.Contains(err.Error(), "MITWIRKEN_") {
				t.Fatalf("%s=%s accepted: %v", name, bad, err)
			}
		})
	}
}

// TestLogRedactsPersonalData: attributes that look like secrets or addresses
// never reach the log.
func TestLogRedactsPersonalData(t *testing.T) {
	var b strings.Builder
	log := platform.NewLogger("json", "info", &b)
	log.Info("x", "email", "a@example.org", "password", "geheim", "session_token", "abc", "path", "/profil")
	out := b.String()
	for _, secret := range []string{"a@example.org", "geheim", "abc"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "/profil") {
		t.Errorf("log lost the path: %s", out)
	}
}
