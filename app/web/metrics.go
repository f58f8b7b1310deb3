package web

import (
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus series of one platform instance. Each instance
// has its own registry, so several can run in one test process.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	backlog  prometheus.Gauge
}

// NewMetrics registers the series.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mitwirken_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mitwirken_http_request_duration_seconds", Help: "HTTP request duration by method and route.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		backlog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mitwirken_outbox_backlog", Help: "Mails waiting for delivery.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.backlog,
		// The live heap after the last collection (go_gc_heap_live_bytes)
		// besides the defaults: RSS and the heap in use follow the
		// collector's sawtooth, this only what is still reachable, so a
		// leak shows in it (the soak reads it).
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds a feature's collectors (e.g. websocket connections).
func (m *Metrics) Register(cs ...prometheus.Collector) { m.reg.MustRegister(cs...) }

// SetOutboxBacklog records the number of mails waiting.
func (m *Metrics) SetOutboxBacklog(n int64) { m.backlog.Set(float64(n)) }

func (m *Metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func slogLevel(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400 && status != 404 && status != 401:
		return slog.LevelWarn
	default:
		return slog.LevelInfo
	}
}
