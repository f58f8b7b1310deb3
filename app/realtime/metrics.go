package realtime

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

type hubMetrics struct {
	open, drops                                       atomic.Int64
	opened, rejected, received, sent, dropped, errors prometheus.Counter
	events, resumed                                   prometheus.Counter
}

func newHubMetrics() *hubMetrics {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "mitwirken_ws_" + name, Help: help})
	}
	return &hubMetrics{
		opened:   c("connections_opened_total", "Websocket connections accepted."),
		rejected: c("connections_rejected_total", "Websocket upgrades refused (origin, handshake)."),
		received: c("messages_received_total", "Frames received from clients."),
		sent:     c("messages_sent_total", "Frames sent to clients."),
		dropped:  c("clients_dropped_total", "Clients disconnected because their send queue was full."),
		errors:   c("error_frames_total", "Error frames sent to clients."),
		events:   c("board_events_delivered_total", "Board events read from the log and fanned out."),
		resumed:  c("clients_resumed_total", "Clients admitted to a live board (after catching up)."),
	}
}

func (m *hubMetrics) collectors() []prometheus.Collector {
	open := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mitwirken_ws_connections", Help: "Open websocket connections."},
		func() float64 { return float64(m.open.Load()) })
	return []prometheus.Collector{open, m.opened, m.rejected, m.received, m.sent, m.dropped, m.errors, m.events, m.resumed}
}
