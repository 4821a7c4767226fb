package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
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
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM order_pii WHERE ship_to IS NOT NULL LIMIT 1) AS sealed`).Scan(&n)
	return n > 0, err
}

// A buyer's name is found by the start of any of its words ("Gar" finds
// García), without accents or case ("angstrom" finds Ångström), though the
// name itself is sealed: the index holds a keyed token (HMAC) of each
// word's folded prefixes of minPrefix to maxPrefix letters, or of the whole
// word when it is shorter ("Li", "Wu"). Longer query words compare by their
// first maxPrefix letters. Eight keeps the index small (at most six tokens
// a word, each feeding the trigram index) and names apart.
const (
	minPrefix = 3
	maxPrefix = 8
	// nameIndexVersion names the token scheme; an older index is rebuilt
	// at open (RefreshNameIndex).
	nameIndexVersion = "2-prefix-folded"
)

// foldSpecial are letters that Unicode does not decompose into a base
// letter and a mark.
var foldSpecial = map[rune]string{'ß': "ss", 'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'þ': "th", 'Þ': "th", 'ı': "i"}

// nameWords folds a name into the words search compares: lower case,
// accents dropped, split at anything that is not a letter or a digit.
func nameWords(name string) [][]rune {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case foldSpecial[r] != "":
			b.WriteString(foldSpecial[r])
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	var words [][]rune
	for _, w := range strings.FieldsFunc(b.String(), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words = append(words, []rune(w))
	}
	return words
}

// blindIndex is the tokens of a name's words and their prefixes, space-separated.
func (db *DB) blindIndex(names ...string) string {
	if db.sealer == nil {
		return ""
	}
	seen := map[string]bool{}
	var tokens []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			tokens = append(tokens, db.sealer.Blind(t))
		}
	}
	for _, name := range names {
		for _, w := range nameWords(name) {
			if len(w) < minPrefix {
				add("w:" + string(w))
			}
			for n := minPrefix; n <= min(len(w), maxPrefix); n++ {
				add("p:" + string(w[:n]))
			}
		}
	}
	return strings.Join(tokens, " ")
}

// searchTokens is what a search looks for in the index: each query word's
// prefix token (its whole-word token when shorter than minPrefix).
func (db *DB) searchTokens(query string) []string {
	if db.sealer == nil {
		return nil
	}
	var tokens []string
	for _, w := range nameWords(query) {
		if len(w) < minPrefix {
			tokens = append(tokens, db.sealer.Blind("w:"+string(w)))
		} else {
			tokens = append(tokens, db.sealer.Blind("p:"+string(w[:min(len(w), maxPrefix)])))
		}
	}
	return tokens
}

// RefreshNameIndex rebuilds the buyer-name index when it was made by an
// older scheme: each unredacted order's sealed name is opened and indexed
// again, in one transaction. It reports how many orders it indexed.
func (db *DB) RefreshNameIndex(ctx context.Context) (int, error) {
	if db.sealer == nil {
		return 0, nil
	}
	if v, err := db.Setting(ctx, "name_index"); err == nil && v == nameIndexVersion {
		return 0, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT p.order_id, p.buyer_name, p.ship_to FROM order_pii p
		WHERE p.redacted_at IS NULL AND p.ship_to IS NOT NULL`)
	if err != nil {
		return 0, err
	}
	type entry struct {
		id    int64
		index string
	}
	var todo []entry
	for rows.Next() {
		var id int64
		var plainName sql.NullString
		var sealed []byte
		if err := rows.Scan(&id, &plainName, &sealed); err != nil {
			rows.Close()
			return 0, err
		}
		raw, err := db.open(sealed, piiAAD(id))
		if err != nil {
			continue // unreadable (a lost key): indexed again when imported again
		}
		var bd buyerData
		if json.Unmarshal(raw, &bd) != nil {
			continue
		}
		var to struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(bd.To, &to)
		todo = append(todo, entry{id, db.blindIndex(bd.Name, plainName.String, to.Name)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, e := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET buyer_index = ? WHERE id = ?`, e.index, e.id); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE order_search SET names = ? WHERE rowid = ?`, e.index, e.id); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (bench, key, value) VALUES ('', 'name_index', ?)
		ON CONFLICT (bench, key) DO UPDATE SET value = excluded.value`, nameIndexVersion); err != nil {
		return 0, err
	}
	return len(todo), tx.Commit()
}
