package events

import (
	"image"
	"image/color"
	"image/draw"
)

// newPadded puts img on a white square of size side, offset by pad.
func newPadded(img image.Image, pad, side int) image.Image {
	out := image.NewGray(image.Rect(0, 0, side, side))
	draw.Draw(out, out.Bounds(), &image.Uniform{C: color.White}, image.Point{}, draw.Src)
	b := img.Bounds()
	draw.Draw(out, image.Rect(pad, pad, pad+b.Dx(), pad+b.Dy()), img, b.Min, draw.Src)
	return out
}
