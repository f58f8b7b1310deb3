package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// fleet is the set of clients of one measurement, for mitwirken and for
// Centrifugo alike: they connect a few at a time and read until the end.
type fleet struct {
	clients []*client
	wg      sync.WaitGroup
	ready   chan error
	sem     chan struct{}
	samples int // the latencies a client expects to record
}

func newFleet(n, rate int, duration time.Duration) *fleet {
	return &fleet{clients: make([]*client, n), ready: make(chan error, n), sem: make(chan struct{}, 64),
		samples: rate*int(duration/time.Second) + 64}
}

// connect dials the clients from..to-1 with open and returns when each is
// subscribed, or with the first error.
func (f *fleet) connect(from, to int, proto protocol, open func(i int) (*websocket.Conn, error)) error {
	for i := from; i < to; i++ {
		f.sem <- struct{}{}
		go func(i int) {
			defer func() { <-f.sem }()
			conn, err := open(i)
			if err != nil {
				f.ready <- err
				return
			}
			f.clients[i] = &client{conn: conn, proto: proto, samples: make([]time.Duration, 0, f.samples)}
			f.wg.Add(1)
			go f.clients[i].run(f.ready, &f.wg)
		}(i)
	}
	for i := from; i < to; i++ {
		if err := <-f.ready; err != nil {
			return fmt.Errorf("client: %w", err)
		}
	}
	return nil
}
