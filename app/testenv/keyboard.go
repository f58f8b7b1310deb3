package testenv

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TabTo presses Tab until the element matching the CSS selector has the
// focus, as a keyboard user would, and fails after max presses.
func TabTo(t testing.TB, ctx context.Context, selector string, max int) {
	t.Helper()
	check := fmt.Sprintf(`document.activeElement === document.querySelector(%q)`, selector)
	for i := 0; i < max; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check))
		if err != nil {
			t.Fatal(err)
		}
		if focused {
			return
		}
	}
	t.Fatalf("%s not reached with %d Tab presses", selector, max)
}

// Type sends text to the focused element, key by key.
func Type(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(text)); err != nil {
		t.Fatal(err)
	}
}

// Press sends one key (kb.Enter, kb.Space, kb.ArrowDown, ...).
func Press(t testing.TB, ctx context.Context, key string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatal(err)
	}
}

// Eval evaluates a JavaScript expression in the tab.
func Eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}
