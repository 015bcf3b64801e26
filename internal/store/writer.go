package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/prometheus/client_golang/prometheus"
)

// writeFunc is one request's share of a write transaction. It runs inside
// a savepoint: if it fails, its writes are undone and the others in the
// batch still commit.
type writeFunc func(ctx context.Context, tx *sql.Tx) error

type writeOp struct {
	ctx  context.Context
	fn   writeFunc
	done chan error
	// failed, when set, is told why the write failed: no one waits on
	// done for a write the writer queued itself (enqueue).
	failed func(error)
	// barrier has the batch flushed before the write runs, so that it
	// sees in the tables what the batch's earlier writes left to the
	// flush (the duplicate-index rows).
	barrier bool
	// retry, when set, says whether an error of the write is worth running
	// it again (in a batch of its own, after the others committed) beyond
	// the errors every write retries (transient).
	retry func(error) bool
	// once keeps the write from running again after a transient error: it
	// changes its input as it runs (a history load resolving its links).
	once bool
}

// maxAttempts bounds how often one write runs before its error stands.
const maxAttempts = 4

// writer is the group commit: requests queue up while the previous batch
// syncs to disk, then all of them share one transaction and one fsync. A
// 201 is answered only after the commit that holds the case returned.
type writer struct {
	db *sql.DB
	// flush writes, before the batch commits (and before a barrier
	// write), what its writes left to write together (rollups, index
	// rows), so that thirty creations cost one update of a counter rather
	// than thirty. It writes what the last flush left and marks it done.
	flush func(ctx context.Context, tx *sql.Tx, d *deltas) error
	// committed, when set, runs on the writer with what the batch's
	// successful writes recorded, once their commit returned.
	committed func(d *deltas)
	ops       chan writeOp
	maxBatch  int
	stop      chan struct{}
	wg        sync.WaitGroup

	// finished counts the batches whose commit has returned: what they
	// wrote is visible to any read that starts afterwards (or was undone).
	// The batch being written is finished+1.
	finished atomic.Uint64

	batchSize prometheus.Histogram
	commitDur prometheus.Histogram
}

// ErrClosed answers writes that arrive after the store began to close.
var ErrClosed = errors.New("store: closed")

func newWriter(db *sql.DB, maxBatch int) *writer {
	return &writer{
		db:       db,
		ops:      make(chan writeOp, 4096),
		maxBatch: maxBatch,
		stop:     make(chan struct{}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "yizhan_store_commit_batch_size",
			Help:    "Write requests that shared one transaction (group commit).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}),
		commitDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "yizhan_store_commit_seconds",
			Help:    "Time to run and durably commit one batch of writes.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
	}
}

func (w *writer) start() {
	w.wg.Add(1)
	go w.loop()
}

// close lets queued writes finish, then stops the loop.
func (w *writer) close() {
	close(w.stop)
	w.wg.Wait()
}

// do queues fn and waits until its batch committed (or failed).
func (w *writer) do(ctx context.Context, fn writeFunc) error {
	return w.submit(writeOp{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

// doRetrying is do for a write that may run again when retry says its
// error was a race another node won (see writeOp.retry).
func (w *writer) doRetrying(ctx context.Context, fn writeFunc, retry func(error) bool) error {
	return w.submit(writeOp{ctx: ctx, fn: fn, done: make(chan error, 1), retry: retry})
}

// doOnce is do for a write that must not run twice (see writeOp.once).
func (w *writer) doOnce(ctx context.Context, fn writeFunc) error {
	return w.submit(writeOp{ctx: ctx, fn: fn, done: make(chan error, 1), once: true})
}

// doAfterFlush is do for a write that must see the batch's earlier writes
// flushed (see writeOp.barrier).
func (w *writer) doAfterFlush(ctx context.Context, fn writeFunc) error {
	return w.submit(writeOp{ctx: ctx, fn: fn, done: make(chan error, 1), barrier: true})
}

func (w *writer) submit(op writeOp) error {
	ctx := op.ctx
	select {
	case <-w.stop:
		return ErrClosed
	default:
	}
	select {
	case w.ops <- op:
	case <-w.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the write is waited for even if the client gives up:
	// it may already be committed, and the caller must not report
	// otherwise.
	return <-op.done
}

// enqueue queues fn without waiting for it: a write the writer's own
// goroutine decided on after a commit (waiting there would deadlock),
// which runs after a flush (see writeOp.barrier). failed is told if it
// fails. It answers false if the queue is full.
func (w *writer) enqueue(fn writeFunc, failed func(error)) bool {
	op := writeOp{ctx: context.Background(), fn: fn, done: make(chan error, 1), failed: failed, barrier: true}
	select {
	case w.ops <- op:
		return true
	default:
		return false
	}
}

func (w *writer) loop() {
	defer w.wg.Done()
	batch := make([]writeOp, 0, w.maxBatch)
	for {
		select {
		case op := <-w.ops:
			batch = w.fill(append(batch[:0], op))
		case <-w.stop:
			w.drain()
			return
		}
		w.commit(batch)
	}
}

// drain commits what was queued before close.
func (w *writer) drain() {
	for {
		batch := w.fill(make([]writeOp, 0, w.maxBatch))
		if len(batch) == 0 {
			return
		}
		w.commit(batch)
	}
}

// fill adds to batch, up to maxBatch, the writes already queued, without
// waiting for more.
func (w *writer) fill(batch []writeOp) []writeOp {
	for len(batch) < w.maxBatch {
		select {
		case op := <-w.ops:
			batch = append(batch, op)
		default:
			return batch
		}
	}
	return batch
}

func (w *writer) commit(batch []writeOp) {
	start := time.Now()
	w.batchSize.Observe(float64(len(batch)))
	final := w.runOnce(batch)
	w.commitDur.Observe(time.Since(start).Seconds())
	// A write that lost a race to another node (PostgreSQL's deadlock
	// detector chose it, or another node changed what it read) runs
	// again, in a batch of those alone, once the others are answered: a
	// new report must not be refused because two nodes were busy.
	pending := make([]int, len(batch))
	for i := range pending {
		pending[i] = i
	}
	for attempt := 1; ; attempt++ {
		var again []int
		for _, i := range pending {
			op, e := batch[i], final[i]
			if e != nil && attempt < maxAttempts && !op.once && (transient(e) || op.retry != nil && op.retry(e)) {
				again = append(again, i)
				continue
			}
			if e != nil && op.failed != nil {
				op.failed(e)
			}
			op.done <- e
		}
		if len(again) == 0 {
			return
		}
		time.Sleep(time.Duration(attempt*(2+rand.IntN(8))) * time.Millisecond)
		sub := make([]writeOp, len(again))
		for j, i := range again {
			sub[j] = batch[i]
		}
		for j, e := range w.runOnce(sub) {
			final[again[j]] = e
		}
		pending = again
	}
}

// runOnce runs a batch in one transaction and answers each write's error.
func (w *writer) runOnce(batch []writeOp) []error {
	errs := make([]error, len(batch))
	err := w.runBatch(batch, errs)
	w.finished.Add(1)
	for i := range errs {
		errs[i] = cmp.Or(err, errs[i])
	}
	return errs
}

// uniqueRace reports whether a write failed on a unique constraint: on
// PostgreSQL, another node inserted the same key between the write's
// check and its insert. Run again, the check answers the conflict (or an
// upsert updates what the other node inserted).
func uniqueRace(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505"
}

// transient reports whether an error is one PostgreSQL asks to retry: a
// deadlock between two nodes' transactions, or a serialization failure.
func transient(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

// run calls one request's write; a panic in it fails that request, not the
// writer, which every request of the server depends on.
func run(ctx context.Context, op writeOp, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("store: write panicked: %v\n%s", v, debug.Stack())
		}
	}()
	return op.fn(ctx, tx)
}

func (w *writer) runBatch(batch []writeOp, errs []error) error {
	// A client that goes away must not interrupt the shared transaction:
	// the statements run without its cancellation (SQLite would otherwise
	// abort a statement, and with it the batch's transaction).
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	single := len(batch) == 1
	total := newDeltas()
	for i, op := range batch {
		if op.barrier && w.flush != nil && !total.empty() {
			if err := w.flush(ctx, tx, total); err != nil {
				_ = tx.Rollback()
				return fmt.Errorf("store: flush before a write: %w", err)
			}
		}
		own := newDeltas()
		own.prior = total
		opCtx := withDeltas(context.WithoutCancel(op.ctx), own)
		if single {
			errs[i] = run(opCtx, op, tx)
			if errs[i] != nil {
				_ = tx.Rollback()
				return nil
			}
			total.merge(own)
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("store: savepoint: %w", err)
		}
		errs[i] = run(opCtx, op, tx)
		if errs[i] != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT w"); err != nil {
				_ = tx.Rollback()
				return fmt.Errorf("store: rollback to savepoint: %w", err)
			}
		} else {
			total.merge(own)
		}
		if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT w"); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("store: release savepoint: %w", err)
		}
	}
	if w.flush != nil && !total.empty() {
		if err := w.flush(ctx, tx, total); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("store: flush counters: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if w.committed != nil {
		w.committed(total)
	}
	return nil
}
