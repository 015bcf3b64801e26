package store

import (
	"fmt"
	"strconv"
	"strings"
)

// The store's SQL, by name. Every statement is written once with ?
// placeholders; the PostgreSQL dialect renumbers them. Only this package
// knows SQL.
const caseColumns = `id, number, line, channel, status, category, type, police, risk, priority,
	unit_id, origin_unit_id, duplicate_of, outcome, satisfaction, text, reporter_name,
	reporter_phone, address, lat, lon, occurred_at, external_id, returns, repeats, extra,
	created_by, version, created_at, updated_at, grid_id, enterprise_id, repeat_of`

const userColumns = `id, username, name, role, unit_id, phone, password_hash, must_change_password, disabled, created_at`

var queries = map[string]string{
	// Cases.
	"next_case_number": `INSERT INTO case_counters (line, day, n) VALUES (?, ?, 1)
		ON CONFLICT (line, day) DO UPDATE SET n = case_counters.n + 1 RETURNING n`,
	"save_case_number": `UPDATE case_counters SET n = ? WHERE line = ? AND day = ?`,
	"insert_case": `INSERT INTO cases (number, line, channel, status, category, type, police, risk, priority,
		unit_id, origin_unit_id, duplicate_of, outcome, satisfaction, text, reporter_name,
		reporter_phone, address, lat, lon, occurred_at, external_id, returns, repeats, extra,
		created_by, version, created_at, updated_at, grid_id, enterprise_id, repeat_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	"update_case": `UPDATE cases SET status = ?, category = ?, type = ?, police = ?, risk = ?, priority = ?,
		unit_id = ?, duplicate_of = ?, outcome = ?, satisfaction = ?, returns = ?, repeats = ?, extra = ?,
		version = ?, updated_at = ?
		WHERE id = ? AND version = ?`,
	"get_case": `SELECT ` + caseColumns + ` FROM cases WHERE id = ?`,
	// lock_case reads a case inside a write and holds it until the commit,
	// so that another node's write to it waits rather than races (SQLite
	// has one writer and reads it plainly).
	"lock_case":      `SELECT ` + caseColumns + ` FROM cases WHERE id = ? FOR UPDATE`,
	"case_by_number": `SELECT ` + caseColumns + ` FROM cases WHERE number = ?`,
	"delete_token":   `DELETE FROM tokens WHERE hash = ?`,
	"insert_event":   `INSERT INTO case_events (case_id, seq, action, at, actor_id, actor, unit_id, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"case_events":    `SELECT case_id, seq, action, at, actor_id, actor, unit_id, note, data FROM case_events WHERE case_id = ? ORDER BY seq`,
	"clock_events":   `SELECT ` + clockColumns + ` FROM case_events WHERE case_id = ? AND seq > ? ORDER BY seq`,
	"bump_status":    `INSERT INTO status_counts (line, status, n) VALUES (?, ?, ?) ON CONFLICT (line, status) DO UPDATE SET n = status_counts.n + excluded.n`,
	"status_counts":  `SELECT line, status, n FROM status_counts`,
	"upsert_clock": `INSERT INTO case_clocks (case_id, next_fire_at) VALUES (?, ?)
		ON CONFLICT (case_id) DO UPDATE SET next_fire_at = excluded.next_fire_at`,
	"delete_clock": `DELETE FROM case_clocks WHERE case_id = ?`,
	"due_clocks":   `SELECT case_id FROM case_clocks WHERE next_fire_at <= ? ORDER BY next_fire_at LIMIT ?`,
	"next_clock":   `SELECT MIN(next_fire_at) FROM case_clocks`,
	"bump_rollup_day": `INSERT INTO rollup_day (day, line, category, status, outcome, n) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (line, day, category, status, outcome) DO UPDATE SET n = rollup_day.n + excluded.n`,
	"bump_rollup_unit": `INSERT INTO rollup_unit (day, line, category, unit_id, status, outcome, n) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (line, day, category, unit_id, status, outcome) DO UPDATE SET n = rollup_unit.n + excluded.n`,
	"bump_rollup_month": `INSERT INTO rollup_month (month, line, category, status, outcome, n) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (line, month, category, status, outcome) DO UPDATE SET n = rollup_month.n + excluded.n`,
	"bump_rollup_unit_month": `INSERT INTO rollup_unit_month (month, line, category, unit_id, status, outcome, n) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (unit_id, line, month, category, status, outcome) DO UPDATE SET n = rollup_unit_month.n + excluded.n`,
	"stage_rows": `SELECT stage, started_at, due_at, met_at, breached, status FROM stage_times WHERE case_id = ?`,
	"upsert_stage": `INSERT INTO stage_times (case_id, stage, line, created_at, started_at, due_at, met_at, breached, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, stage) DO UPDATE SET started_at = excluded.started_at,
		due_at = excluded.due_at, met_at = excluded.met_at, breached = excluded.breached, status = excluded.status`,
	"delete_stage":     `DELETE FROM stage_times WHERE case_id = ? AND stage = ?`,
	"case_by_external": `SELECT id FROM cases WHERE channel = ? AND external_id = ?`,
	"prune_dedup_keys": `DELETE FROM dedup_keys WHERE at < ?`,
	"insert_case_unit": `INSERT INTO case_units (case_id, unit_id, role) VALUES (?, ?, ?)`,

	// Idempotency.
	"get_idempotency":    `SELECT request_hash, case_id FROM idempotency_keys WHERE user_id = ? AND key = ?`,
	"insert_idempotency": `INSERT INTO idempotency_keys (user_id, key, request_hash, case_id, created_at) VALUES (?, ?, ?, ?, ?)`,

	// Directory.
	"insert_unit": `INSERT INTO units (name, kind, parent_id, area, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
	"list_units":  `SELECT id, name, kind, parent_id, area, created_at, updated_at FROM units ORDER BY id`,
	"get_unit":    `SELECT id, name, kind, parent_id, area, created_at, updated_at FROM units WHERE id = ?`,

	// Accounts.
	"insert_user": `INSERT INTO users (username, name, role, unit_id, phone, password_hash, must_change_password, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	"user_by_id":           `SELECT ` + userColumns + ` FROM users WHERE id = ?`,
	"user_by_username":     `SELECT ` + userColumns + ` FROM users WHERE username = ?`,
	"list_users":           `SELECT ` + userColumns + ` FROM users ORDER BY id`,
	"set_password":         `UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?`,
	"insert_token":         `INSERT INTO tokens (user_id, hash, kind, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
	"token_exists":         `SELECT id FROM tokens WHERE hash = ?`,
	"count_users":          `SELECT COUNT(*) FROM users`,
	"delete_expired_token": `DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at < ?`,
	"token_user": `SELECT u.id, u.username, u.name, u.role, u.unit_id, u.phone, u.password_hash, u.must_change_password, u.disabled, u.created_at, t.expires_at
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`,

	// Webhooks.
	"webhooks":        `SELECT id, url, secret, events, active, created_at FROM webhooks ORDER BY id`,
	"active_webhooks": `SELECT id, url, secret, events, active, created_at FROM webhooks WHERE active = 1 ORDER BY id`,
	"enqueue_delivery": `INSERT INTO webhook_deliveries (webhook_id, body, attempts, next_at, last_error, created_at)
				VALUES (?, ?, 0, ?, '', ?)`,
	// due_deliveries are the calls to make now, in each subscription's
	// order: none of a subscription while an earlier call of it waits (its
	// backoff, or another node's claim), so a receiver gets a case's
	// events in the order they happened.
	"due_deliveries": `SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.delivered_at IS NULL AND d.next_at <= ? AND d.attempts < ? AND w.active = 1
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id AND e.id < d.id
			AND e.delivered_at IS NULL AND e.attempts < ? AND e.next_at > ?)
		ORDER BY d.webhook_id, d.id LIMIT ?`,
	"claim_delivery": `UPDATE webhook_deliveries SET next_at = ? WHERE id = ?`,
	"delivery":       `SELECT ` + deliveryColumns + ` FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`,
	"webhook_deliveries": `SELECT ` + deliveryColumns + ` FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?`,
	"delivery_done": `UPDATE webhook_deliveries SET attempts = ?, next_at = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
}

const deliveryColumns = `d.id, d.webhook_id, w.url, w.secret, d.body, d.attempts, d.next_at, d.last_error, d.delivered_at, d.created_at`

// maxIDs bounds the ids one prepared lookup by ids takes: every lookup
// reads the candidates of one duplicate check.
const maxIDs = maxCandidates

// sqliteQueries are named queries only SQLite runs, or runs its own way:
// PostgreSQL reads the duplicate index with a lateral join instead
// (pgLookup).
var sqliteQueries = map[string]string{}

func init() {
	// Each key's most recent perKey+1 rows within its look-back, for a
	// list of keys in one statement: per key a range of the primary key
	// read backwards (so a key on thousands of rows costs no more than one
	// on a handful), its rows folded into one text of "id:at" pairs. (A
	// UNION of per-key sub-selects would be re-prepared by SQLite on every
	// run.) Lists are padded to lookupSizes by repeating a key.
	for _, n := range lookupSizes {
		sqliteQueries[fmt.Sprintf("dedup_lookup_%d", n)] = `WITH q(k, since) AS (VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ") + `)
			SELECT q.k, (SELECT group_concat(case_id || ':' || at, ',') FROM (
				SELECT case_id, at FROM dedup_keys WHERE k = q.k AND at >= q.since ORDER BY at DESC LIMIT ` +
			strconv.Itoa(perKey+1) + `)) FROM q`
	}
	sqliteQueries["lock_case"] = queries["get_case"] // one writer: nothing to lock against
	sqliteQueries["spill_dedup_log"] = `INSERT OR IGNORE INTO dedup_keys (k, at, case_id)
		SELECT k, at, case_id FROM dedup_log WHERE at < ? ORDER BY k, at, case_id`
	sqliteQueries["prune_dedup_log"] = `DELETE FROM dedup_log WHERE at < ?`
	sqliteQueries["oldest_dedup_log"] = `SELECT MIN(at) FROM dedup_log`
	sqliteQueries["nth_dedup_log"] = `SELECT at FROM dedup_log ORDER BY at LIMIT 1 OFFSET ?`
	// The API token the administrator's bootstrap ensures: its id is not
	// needed.
	queries["ensure_token"] = strings.TrimSuffix(queries["insert_token"], " RETURNING id")
	for size := 8; size <= maxIDs; size *= 2 {
		queries[fmt.Sprintf("summaries_by_ids_%d", size)] = `SELECT ` + summaryColumns + ` FROM cases WHERE id IN (` + placeholders(size) + `) ORDER BY id`
	}
}
