package notify

import (
	"context"
	"log/slog"
)

// SMS sends text messages. A zone plugs in its operator's gateway; the
// default only writes them to the log.
type SMS interface {
	Send(ctx context.Context, phone, text string) error
}

// LogSMS is the SMS driver that writes messages to the log instead of
// sending them.
type LogSMS struct {
	Log *slog.Logger
}

// Send logs the message.
func (l LogSMS) Send(ctx context.Context, phone, text string) error {
	l.Log.InfoContext(ctx, "sms (log driver, not sent)", "to", phone, "text", text)
	return nil
}
