// Package logging writes Packbench's log file through log/slog with a
// handler that masks secrets and buyers' personal data, so that a log a
// seller attaches to a support request is safe to share (docs/architecture.md, "Buyers' data").
//
// Masking works on two levels: attribute keys that name sensitive things
// (token, secret, buyer, address...) have their values replaced whole, and
// every string value and message is scrubbed of anything shaped like an LWA
// token, a client secret, an e-mail address or a credential in a query string.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"
)

// FileName is the log's name inside the data dir.
const FileName = "packbench.log"

// maxSizeMB is the size past which the log is rotated while Packbench runs
// (gopkg.in/natefinch/lumberjack.v2), keeping keepOld earlier files. A
// variable so that a test rotates at 1 MB.
var maxSizeMB = 5

const keepOld = 2

// Masked replaces what the handler hides.
const Masked = "[masked]"

// Open returns a logger writing to dir/packbench.log and the file to close.
func Open(dir string, level slog.Leveler) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("create log dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// Opened now, so that a log that cannot be written is said at start.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log file: %w", err)
	}
	f.Close()
	w := &lumberjack.Logger{Filename: path, MaxSize: maxSizeMB, MaxBackups: keepOld}
	return slog.New(NewMaskingHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))), w, nil
}

// sensitiveKeys are substrings of attribute keys whose values are never logged.
var sensitiveKeys = []string{
	"token", "secret", "password", "authorization", "credential", "cookie", "code_verifier", "oauth_code",
	"buyer", "recipient", "address", "phone", "email", "ship_to", "shipto", "gift", "personal",
}

// SensitiveKey reports whether an attribute with this key is masked whole.
func SensitiveKey(key string) bool {
	k := strings.ToLower(key)
	for _, s := range sensitiveKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

var scrubbers = []struct {
	re   *regexp.Regexp
	repl string
}{
	// LWA access and refresh tokens (Atza|, Atzr|), restricted data tokens (Atz.sprdt|).
	{regexp.MustCompile(`Atz(?:[a-z]|\.sprdt)\|[^\s"'&,;]+`), "Atz|" + Masked},
	// LWA client secrets.
	{regexp.MustCompile(`amzn1\.oa2-cs\.v1\.[0-9a-fA-F]+`), "amzn1.oa2-cs." + Masked},
	// Credentials in query strings and form bodies.
	{regexp.MustCompile(`(?i)((?:client_secret|refresh_token|access_token|spapi_oauth_code|code|code_verifier|password)=)[^&\s"]+`), "${1}" + Masked},
	{regexp.MustCompile(`(?i)(x-amz-access-token:\s*)\S+`), "${1}" + Masked},
	{regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`), "[email]"},
}

// Scrub masks secret- and PII-shaped text inside s.
func Scrub(s string) string {
	for _, sc := range scrubbers {
		s = sc.re.ReplaceAllString(s, sc.repl)
	}
	return s
}

// MaskingHandler wraps another slog.Handler.
type MaskingHandler struct{ next slog.Handler }

// NewMaskingHandler masks every record before next sees it.
func NewMaskingHandler(next slog.Handler) *MaskingHandler { return &MaskingHandler{next: next} }

func (h *MaskingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *MaskingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *MaskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a)
	}
	return &MaskingHandler{next: h.next.WithAttrs(masked)}
}

func (h *MaskingHandler) WithGroup(name string) slog.Handler {
	return &MaskingHandler{next: h.next.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if SensitiveKey(a.Key) {
		return slog.String(a.Key, Masked)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Scrub(v.String()))
	case slog.KindGroup:
		group := v.Group()
		masked := make([]any, len(group))
		for i, g := range group {
			masked[i] = maskAttr(g)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny:
		// Anything not known to be safe is masked whole: fmt would print
		// every field of a struct (an order's buyer, an address). A type
		// that has safe fields to show implements slog.LogValuer, resolved
		// above. Errors are Packbench's own sentences, scrubbed.
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Scrub(err.Error()))
		}
		return slog.String(a.Key, fmt.Sprintf("[masked %T]", v.Any()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
