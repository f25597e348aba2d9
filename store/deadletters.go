package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

// DeadLetterStore keeps the webhook's dead letters (booking.DeadLetterStore) in the
// database. A dead letter's body is the EHR's message as it arrived, with the patient's
// details in it, so it is sealed before it is written: AES-256-GCM, under a key stretched
// (HKDF-SHA256) from a secret the database does not hold when Doorway is given its keys
// (docs/REDOX.md "Dead letters"). A copy of the table, a backup or a look at the rows shows
// the reason, never the body.
type DeadLetterStore struct {
	db   *DB
	keys []sealKey // the first seals; every one opens
}

var _ booking.DeadLetterStore = (*DeadLetterStore)(nil)

// sealKey is one AES-256-GCM key and the id written beside what it sealed, so that opening
// picks its key at once and says so plainly when the key is no longer configured.
type sealKey struct {
	id   [8]byte
	aead cipher.AEAD
}

// Sealed body layout: version byte, key id (8 bytes), GCM nonce (12 bytes), ciphertext with
// its tag. The additional data is the dead letter's key, so a body cannot be moved to
// another row unnoticed.
const (
	sealVersion = 1
	sealHeader  = 1 + 8 + 12
)

// NewDeadLetterStore keeps dead letters in db, sealing their bodies with a key derived from
// the first of secrets and opening them with a key derived from any: secrets rotate by
// putting the new one first and keeping the old ones while bodies sealed with them may be
// needed. Each secret must have at least 16 bytes. Without secrets the store only lists and
// marks: it keeps no dead letter and opens no body.
func NewDeadLetterStore(db *DB, secrets ...[]byte) (*DeadLetterStore, error) {
	s := &DeadLetterStore{db: db}
	for i, secret := range secrets {
		if len(secret) < 16 {
			return nil, fmt.Errorf("store: dead-letter secret %d has %d bytes, want at least 16", i+1, len(secret))
		}
		key, err := hkdf.Key(sha256.New, secret, nil, "doorway dead-letter body v1", 32)
		if err != nil {
			return nil, fmt.Errorf("store: derive the dead-letter key: %w", err)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("store: dead-letter cipher: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("store: dead-letter cipher: %w", err)
		}
		sum := sha256.Sum256(key) // names the key without revealing it
		k := sealKey{aead: aead}
		copy(k.id[:], sum[:])
		s.keys = append(s.keys, k)
	}
	return s, nil
}

// seal encrypts body for the dead letter with key dlKey.
func (s *DeadLetterStore) seal(body []byte, dlKey string) ([]byte, error) {
	if len(s.keys) == 0 {
		return nil, errors.New("store: no secret to seal a dead letter's body with")
	}
	k := s.keys[0]
	out := make([]byte, sealHeader, sealHeader+len(body)+k.aead.Overhead())
	out[0] = sealVersion
	copy(out[1:9], k.id[:])
	rand.Read(out[9:sealHeader]) // crypto/rand.Read never fails (Go 1.24+)
	return k.aead.Seal(out, out[9:sealHeader], body, []byte(dlKey)), nil
}

// open decrypts what seal wrote.
func (s *DeadLetterStore) open(sealed []byte, dlKey string) ([]byte, error) {
	if len(sealed) < sealHeader || sealed[0] != sealVersion {
		return nil, errors.New("the body is not sealed in a form this Doorway reads")
	}
	for _, k := range s.keys {
		if [8]byte(sealed[1:9]) != k.id {
			continue
		}
		body, err := k.aead.Open(nil, sealed[9:sealHeader], sealed[sealHeader:], []byte(dlKey))
		if err != nil {
			return nil, errors.New("the sealed body fails its integrity check")
		}
		return body, nil
	}
	return nil, errors.New("the body was sealed with a key this Doorway is not given (the session keys changed?)")
}

// AddDeadLetter implements booking.DeadLetterStore: one row per delivery key, so a delivery
// Redox sends again (at least once) or that reaches two instances keeps one letter.
func (s *DeadLetterStore) AddDeadLetter(ctx context.Context, d booking.DeadLetter) (int64, bool, error) {
	sealed, err := s.seal(d.Body, d.Key)
	if err != nil {
		return 0, false, err
	}
	var id int64
	added := false
	err = s.db.writeTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO dead_letters (key, received_at, event, code, msg, field, detail, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING id`,
			d.Key, unixOf(d.Received), d.Event, string(d.Code), string(d.Msg), d.Field, d.Detail, sealed).Scan(&id)
		if err == nil {
			added = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: keep dead letter: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM dead_letters WHERE key = $1`, d.Key).Scan(&id); err != nil {
			return fmt.Errorf("store: read dead letter: %w", err)
		}
		return nil
	})
	return id, added, err
}

const deadLetterColumns = `id, key, received_at, event, code, msg, field, detail, replayed_at`

// DeadLetters implements booking.DeadLetterStore. The bodies stay sealed in the table.
func (s *DeadLetterStore) DeadLetters(ctx context.Context, all bool) ([]booking.DeadLetter, error) {
	where := ` WHERE replayed_at IS NULL`
	if all {
		where = ``
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+deadLetterColumns+` FROM dead_letters`+where+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list dead letters: %w", err)
	}
	defer rows.Close()
	var out []booking.DeadLetter
	for rows.Next() {
		d, _, err := scanDeadLetter(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list dead letters: %w", err)
	}
	return out, nil
}

// DeadLetter implements booking.DeadLetterStore: the dead letter with its body opened.
func (s *DeadLetterStore) DeadLetter(ctx context.Context, id int64) (booking.DeadLetter, error) {
	d, sealed, err := scanDeadLetter(s.db.QueryRowContext(ctx, `SELECT `+deadLetterColumns+`, body FROM dead_letters WHERE id = $1`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return booking.DeadLetter{}, &booking.Error{Code: booking.CodeNotFound, Detail: fmt.Sprintf("no dead letter %d", id)}
	}
	if err != nil {
		return booking.DeadLetter{}, err
	}
	if d.Body, err = s.open(sealed, d.Key); err != nil {
		return booking.DeadLetter{}, fmt.Errorf("store: dead letter %d: %w", id, err)
	}
	return d, nil
}

// MarkReplayed implements booking.DeadLetterStore. The condition on replayed_at makes the
// mark itself the arbiter between two replays.
func (s *DeadLetterStore) MarkReplayed(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := s.db.exec(ctx, `UPDATE dead_letters SET replayed_at = $1 WHERE id = $2 AND replayed_at IS NULL`, unixOf(at), id)
	if err != nil {
		return false, fmt.Errorf("store: mark dead letter %d replayed: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// scanDeadLetter reads deadLetterColumns, and the sealed body after them when withBody.
func scanDeadLetter(row rowScanner, withBody bool) (booking.DeadLetter, []byte, error) {
	var d booking.DeadLetter
	var received int64
	var replayed sql.NullInt64
	var code, msg string
	var sealed []byte
	dest := []any{&d.ID, &d.Key, &received, &d.Event, &code, &msg, &d.Field, &d.Detail, &replayed}
	if withBody {
		dest = append(dest, &sealed)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return d, nil, err
		}
		return d, nil, fmt.Errorf("store: read dead letter: %w", err)
	}
	d.Received, d.Code, d.Msg = timeOf(received), booking.Code(code), booking.Msg(msg)
	if replayed.Valid {
		d.Replayed = timeOf(replayed.Int64)
	}
	return d, sealed, nil
}
