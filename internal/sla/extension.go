package sla

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Reasons an extension (延期) request is refused; the HTTP layer answers 400
// and may test for them with errors.Is to pick its message.
var (
	ErrUnknownStage      = errors.New("sla: unknown stage")
	ErrStageNotRunning   = errors.New("sla: stage clock is not running")
	ErrStageMet          = errors.New("sla: stage already met")
	ErrReasonRequired    = errors.New("sla: a reason is required")
	ErrUntilInPast       = errors.New("sla: extension must end in the future")
	ErrUntilNotAfterDue  = errors.New("sla: extension must end after the current due time")
	ErrExtensionTooLong  = errors.New("sla: extension goes beyond the stage's max_target")
	ErrNoPolicyForExtend = errors.New("sla: the case has no SLA policy")
)

// ValidateExtension checks a request to extend stage until until, given the
// case's current deadlines (from Compute at now). It returns nil when the
// request may go to approval, or an error wrapping one of the Err* values
// above: unknown stage, stage not started or cancelled, stage already met,
// blank reason, until not in the future, until not after the current due
// time, until past the max_target cap.
//
// A breached stage may still be extended; it stays marked breached.
func ValidateExtension(p *Policy, deadlines []Deadline, stage string, until time.Time, reason string, now time.Time) error {
	if p == nil {
		return ErrNoPolicyForExtend
	}
	if p.Stage(stage) == nil {
		return fmt.Errorf("%w %q in policy %q", ErrUnknownStage, stage, p.Name)
	}
	if strings.TrimSpace(reason) == "" {
		return ErrReasonRequired
	}
	var d *Deadline
	for i := range deadlines {
		if deadlines[i].Stage == stage {
			d = &deadlines[i]
		}
	}
	switch {
	case d == nil:
		return fmt.Errorf("%w: %q has not started", ErrStageNotRunning, stage)
	case d.MetAt != nil:
		return fmt.Errorf("%w: %q met at %s", ErrStageMet, stage, d.MetAt.Format(time.RFC3339))
	case d.CancelledAt != nil:
		return fmt.Errorf("%w: %q was cancelled at %s", ErrStageNotRunning, stage, d.CancelledAt.Format(time.RFC3339))
	case !until.After(now):
		return fmt.Errorf("%w: %s is not after %s", ErrUntilInPast, until.Format(time.RFC3339), now.Format(time.RFC3339))
	case !until.After(d.DueAt):
		return fmt.Errorf("%w: %s is not after %s", ErrUntilNotAfterDue, until.Format(time.RFC3339), d.DueAt.Format(time.RFC3339))
	case d.MaxDueAt != nil && until.After(*d.MaxDueAt):
		return fmt.Errorf("%w: %s is after %s (max_target %s)", ErrExtensionTooLong,
			until.Format(time.RFC3339), d.MaxDueAt.Format(time.RFC3339), p.Stage(stage).MaxTarget)
	}
	return nil
}
