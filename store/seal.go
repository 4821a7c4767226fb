package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// Sealer encrypts personal data at rest (integrations/keychain.Sealer).
// Without one (some tests) values are stored as they are.
type Sealer interface {
	Seal(plain []byte, aad string) ([]byte, error)
	Open(sealed []byte, aad string) ([]byte, error)
	// Blind is a keyed token of a word, for the buyer-name index.
	Blind(word string) string
}

// UseSealer makes every later write of buyers' data and labels encrypted.
func (db *DB) UseSealer(s Sealer) { db.sealer = s }

func (db *DB) seal(plain []byte, aad string) ([]byte, error) {
	if db.sealer == nil || plain == nil {
		return plain, nil
	}
	return db.sealer.Seal(plain, aad)
}

func (db *DB) open(stored []byte, aad string) ([]byte, error) {
	if db.sealer == nil || len(stored) == 0 || string(stored[:min(4, len(stored))]) != "pb1:" {
		return stored, nil
	}
	return db.sealer.Open(stored, aad)
}

func piiAAD(orderID int64) string { return fmt.Sprintf("order_pii/%d", orderID) }

func giftAAD(orderID int64, itemID string) string {
	return fmt.Sprintf("order_items/%d/%s", orderID, itemID)
}

func labelAAD(shipmentID int64) string { return fmt.Sprintf("labels/%d", shipmentID) }

// buyerData is what order_pii seals: the name and the address together.
type buyerData struct {
	Name string          `json:"n,omitempty"`
	To   json.RawMessage `json:"a,omitempty"`
}

// HasSealedData reports whether any buyer's data is stored encrypted.
func (db *DB) HasSealedData(ctx context.Context) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM order_pii WHERE ship_to IS NOT NULL LIMIT 1)`).Scan(&n)
	return n > 0, err
}

// blindIndex is the tokens of every word of a name, space-separated.
func (db *DB) blindIndex(name string) string {
	if db.sealer == nil {
		return ""
	}
	var tokens []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '-' }) {
		tokens = append(tokens, db.sealer.Blind(w))
	}
	return strings.Join(tokens, " ")
}
