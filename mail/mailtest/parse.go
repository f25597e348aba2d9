package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Parsed is a message read back: its headers (subject decoded), its text and HTML parts and
// its attachments, each body decoded from its transfer encoding.
type Parsed struct {
	Header      mail.Header
	Subject     string
	Text, HTML  string
	Attachments []Part
	// Structure lists every leaf part's content type in order, for asserting the shape.
	Structure []string
}

// Part is one attachment.
type Part struct {
	Name        string
	ContentType string // as sent, with its parameters
	Body        []byte
}

// Parse reads a message as a mail client would.
func Parse(raw []byte) (Parsed, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Parsed{}, err
	}
	p := Parsed{Header: m.Header}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return Parsed{}, fmt.Errorf("subject: %w", err)
	}
	err = p.walk(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Header.Get("Content-Disposition"), m.Body)
	return p, err
}

func (p *Parsed) walk(ctype, encoding, disposition string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := p.walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"),
				part.Header.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}
	p.Structure = append(p.Structure, mt)
	var r io.Reader = body
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body) // it skips line breaks
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s body: %w", mt, err)
	}
	_, dparams, _ := mime.ParseMediaType(disposition)
	switch {
	case strings.HasPrefix(disposition, "attachment") || dparams["filename"] != "":
		p.Attachments = append(p.Attachments, Part{Name: dparams["filename"], ContentType: ctype, Body: data})
	case mt == "text/plain" && p.Text == "":
		p.Text = string(data)
	case mt == "text/html" && p.HTML == "":
		p.HTML = string(data)
	default:
		p.Attachments = append(p.Attachments, Part{Name: params["name"], ContentType: ctype, Body: data})
	}
	return nil
}

// ParseAll parses msgs, failing on the first that cannot be read.
func ParseAll(msgs []Message) ([]Parsed, error) {
	out := make([]Parsed, 0, len(msgs))
	for i, m := range msgs {
		p, err := Parse(m.Raw)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		out = append(out, p)
	}
	return out, nil
}
