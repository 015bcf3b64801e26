// Package learn keeps the triage model current: it trains the model at
// start from the built-in corpus plus the corrections dispatchers made
// (every reclassified case is a labelled example), and trains it again
// after new corrections, swapping it in without a restart. The corrections
// live in the case store, so they survive restarts and reach every node.
package learn

import (
	"cmp"
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/triage"
)

// CorrectionWeight is how much a dispatcher's correction counts against a
// corpus example: enough that a few corrections of a new phrasing move the
// model.
const CorrectionWeight = 3

// Corrections is where the dispatchers' corrections come from: the store.
type Corrections interface {
	Corrections(ctx context.Context, limit int) ([]triage.Example, error)
}

// Learner holds the model in use and refreshes it.
type Learner struct {
	Taxonomy *triage.Taxonomy
	Source   Corrections
	Log      *slog.Logger
	// Every is how often corrections made on other nodes are picked up
	// (default 10 minutes); a correction made here triggers a refresh
	// after Settle (default 30 seconds) so that a burst trains once.
	Every  time.Duration
	Settle time.Duration
	Now    func() time.Time

	model   atomic.Pointer[triage.Model]
	learned atomic.Int64
	poke    chan struct{}
	stop    context.CancelFunc
	done    chan struct{}
}

func (l *Learner) defaults() {
	if l.Taxonomy == nil {
		l.Taxonomy = triage.DefaultTaxonomy()
	}
	l.Log = cmp.Or(l.Log, slog.Default())
	l.Every = cmp.Or(l.Every, 10*time.Minute)
	l.Settle = cmp.Or(l.Settle, 30*time.Second)
	if l.Now == nil {
		l.Now = time.Now
	}
	if l.poke == nil {
		l.poke = make(chan struct{}, 1)
	}
}

// Train trains a model now from the corpus and the stored corrections and
// puts it in use.
func (l *Learner) Train(ctx context.Context) error {
	l.defaults()
	examples := triage.BuiltinExamples()
	var corrections []triage.Example
	if l.Source != nil {
		var err error
		if corrections, err = l.Source.Corrections(ctx, 20000); err != nil {
			return err
		}
	}
	for i := range corrections {
		corrections[i].Weight = CorrectionWeight
	}
	m, err := triage.Train(l.Taxonomy, append(examples, corrections...))
	if err != nil {
		return err
	}
	l.model.Store(m)
	l.learned.Store(int64(len(corrections)))
	return nil
}

// Corrected tells the learner a dispatcher reclassified a case.
func (l *Learner) Corrected() {
	l.defaults()
	select {
	case l.poke <- struct{}{}:
	default:
	}
}

// Start refreshes the model in the background until Stop.
func (l *Learner) Start(ctx context.Context) {
	l.defaults()
	ctx, l.stop = context.WithCancel(ctx)
	l.done = make(chan struct{})
	go func() {
		defer close(l.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(l.Every):
			case <-l.poke:
				select {
				case <-ctx.Done():
					return
				case <-time.After(l.Settle):
				}
			}
			started := time.Now()
			if err := l.Train(ctx); err != nil {
				if ctx.Err() == nil {
					l.Log.Warn("triage model refresh", "err", err)
				}
				continue
			}
			l.Log.Info("triage model refreshed", "corrections", l.learned.Load(), "took", time.Since(started).Round(time.Millisecond))
		}
	}()
}

// Stop ends the refreshes.
func (l *Learner) Stop() {
	if l.stop != nil {
		l.stop()
		<-l.done
	}
}

// Triage reads a report with the model in use; repeats is how many
// earlier reports concern the same dispute (it raises the risk).
func (l *Learner) Triage(text string, repeats int) triage.Result {
	return l.model.Load().Classify(text, triage.Signals{Repeats: repeats, Now: l.now()})
}

func (l *Learner) now() time.Time {
	if l.Now == nil {
		return time.Now()
	}
	return l.Now()
}

// Classify is the case engine's view of triage.
func (l *Learner) Classify(text string) casework.Classification {
	r := l.Triage(text, 0)
	return casework.Classification{Category: r.Category, Type: r.Type, Police: r.Police, Risk: r.Risk, Confidence: r.Confidence}
}

// ClassifyWithin is Classify for a report whose category a person gave
// without a type: the type is the model's best within that category.
func (l *Learner) ClassifyWithin(text, category string) casework.Classification {
	r := l.model.Load().Classify(text, triage.Signals{Now: l.now(), Category: category})
	return casework.Classification{Category: r.Category, Type: r.Type, Police: r.Police, Risk: r.Risk, Confidence: r.Confidence}
}

// CategoryOf checks types against the taxonomy in use, so that a
// --taxonomy file's types are the ones cases may take.
func (l *Learner) CategoryOf(typ string) (string, bool) {
	l.defaults()
	t, ok := l.Taxonomy.TypeOf(typ)
	return t.Category, ok
}

// Types lists the taxonomy's types with their categories and labels.
func (l *Learner) Types() []triage.TypeInfo {
	l.defaults()
	return l.Taxonomy.Types()
}
