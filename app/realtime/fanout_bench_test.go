package realtime

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// BenchmarkFanOut sends one 200-byte board frame to 500 connected clients
// through the connections' queues and writers (real sockets): once framed
// per connection (WriteMessage, as before issue 16) and once prepared for
// all (websocket.PreparedMessage). One op is one frame delivered to every
// client; allocs/op divided by the clients is the cost per connection.
func BenchmarkFanOut(b *testing.B) {
	for _, prepared := range []bool{false, true} {
		name := "per-connection"
		if prepared {
			name = "prepared"
		}
		b.Run(name, func(b *testing.B) { benchFanOut(b, 500, prepared) })
	}
}

func benchFanOut(b *testing.B, clients int, prepared bool) {
	h := &Hub{metrics: newHubMetrics()}
	h.cfg.defaults()
	h.upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{}}
	var mu sync.Mutex
	var conns []*conn
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := h.upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &conn{hub: h, ws: ws, kick: make(chan struct{}, 1), drained: make(chan struct{}, 1),
			done: make(chan struct{}), readerDone: make(chan struct{})}
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
	}))
	defer srv.Close()
	var received sync.WaitGroup
	var readers sync.WaitGroup
	for i := 0; i < clients; i++ {
		ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer ws.Close()
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				_, r, err := ws.NextReader()
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, r) // the clients allocate nothing, so allocs/op are the server's
				received.Done()
			}
		}()
	}
	for {
		mu.Lock()
		n := len(conns)
		mu.Unlock()
		if n == clients {
			break
		}
		time.Sleep(time.Millisecond)
	}
	frame := append([]byte(`{"type":"card","seq":1,"card":{"text":"`), bytes.Repeat([]byte("x"), 160)...)
	frame = append(frame, `"}}`...)
	r := &room{prepared: map[*byte]*websocket.PreparedMessage{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		received.Add(clients)
		out := outFrame{b: frame}
		if prepared {
			out = r.prepare(frame)
			clear(r.prepared)
		}
		for _, c := range conns {
			c.sendFrame(out)
		}
		received.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(clients), "ns/client")
	for _, c := range conns {
		c.ws.Close()
	}
}
