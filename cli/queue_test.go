package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/internal/pgtest"
	"github.com/packbench/packbench/station"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Two benches on one shared queue, from the command line: the first moves
// its own data in, the second joins with a one-time code and sees the
// same orders and buyers; a label bought on one is never bought again on
// the other, which says which bench bought it; printers stay each bench's.
func TestTwoBenchesShareOneOrderQueue(t *testing.T) {
	s, dirA, simURL, benchA := simCLIURL(t, 21, 12)
	queue := pgtest.NewDatabase(t)
	dirB := t.TempDir()
	benchB := func(args ...string) (int, string, string) {
		return run(t, nil, append(args, "--data-dir", dirB, "--amazon-sim", simURL)...)
	}

	// Bench A worked alone, then moves its data into the queue.
	require.Equal(t, 0, first(benchA("connect", "--demo")))
	require.Equal(t, 0, first(benchA("import")))
	_, alone, _ := benchA("orders", "--json")
	code, out, stderr := benchA("db", "copy", "--to", queue, "--bench", "Pack-1")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "this bench, Pack-1, works there from now on")
	_, shared, _ := benchA("orders", "--json")
	assert.JSONEq(t, alone, shared, "the same orders, now from the queue")
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	require.NoError(t, json.Unmarshal([]byte(shared), &rows))
	require.GreaterOrEqual(t, len(rows), 2)
	order, other := rows[0].AmazonOrderID, rows[1].AmazonOrderID

	// Bench B cannot use the queue before it joined: it holds no key.
	code, _, stderr = benchB("orders", "--database", queue, "--bench", "Pack-2")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "has not joined the shared order queue yet")

	code, out, stderr = benchA("db", "join-code")
	require.Equal(t, 0, code, stderr)
	joinCode := regexp.MustCompile(`Join code: (\S+)`).FindStringSubmatch(out)[1]
	code, _, stderr = benchB("db", "join", "2222-3333-4444", "--database", queue, "--bench", "Pack-2")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not the one shown")
	code, _, stderr = benchB("db", "join", joinCode, "--database", queue, "--bench", "Pack/2")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `bench name "Pack/2"`)
	code, out, stderr = benchB("db", "join", joinCode, "--database", queue, "--bench", "Pack-2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "This bench, Pack-2, joined")
	code, _, stderr = run(t, nil, "db", "join", joinCode, "--database", queue, "--bench", "Pack-3", "--data-dir", t.TempDir())
	assert.Equal(t, 1, code, "a code works once")
	assert.Contains(t, stderr, "not the one shown")

	// Joined: the same orders, the buyers' data opens, Amazon answers with
	// the store's token that bench A connected.
	_, seen, _ := benchB("orders", "--json")
	assert.JSONEq(t, shared, seen)
	code, out, stderr = benchB("order", order)
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, out, "unreadable")
	code, _, stderr = benchB("rates", order, "--weight", "900")
	require.Equal(t, 0, code, stderr)

	code, _, stderr = benchA("buy", order, "--weight", "900", "--print", filepath.Join(dirA, "labels"))
	require.Equal(t, 0, code, stderr)
	code, _, stderr = benchB("buy", order, "--weight", "900", "--print", filepath.Join(dirB, "labels"))
	assert.Equal(t, 1, code)
	assert.Regexp(t, `order already has a label: bought by Pack-1 at \d\d:\d\d`, stderr)
	assert.Len(t, s.Purchases(), 1)
	code, out, _ = benchB("scan", order)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "label bought by Pack-1")
	_, out, _ = benchB("order", order)
	assert.Regexp(t, `label bought .*\(Pack-1\)`, out, "the history says which bench")

	// Bench A is in the middle of buying the other order: B is told who.
	env, err := OpenEnv(context.Background(), dirA)
	require.NoError(t, err)
	page, err := env.DB.ListOrders(context.Background(), station.OrderQuery{Limit: 5, OrderFilter: station.OrderFilter{Search: other}})
	require.NoError(t, err)
	require.Len(t, page.Rows, 1)
	holder := station.Claim{OrderID: page.Rows[0].ID, Host: "pack-1-pc", PID: 4242, What: "buying a label", At: time.Now(), Bench: "Pack-1"}
	_, taken, err := env.DB.ClaimOrder(context.Background(), holder, func(station.Claim) bool { return false })
	require.NoError(t, err)
	require.True(t, taken)
	env.Close()
	code, _, stderr = benchB("buy", other, "--weight", "900")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "bench Pack-1 is buying a label since")

	// Each bench its own printers.
	code, _, stderr = benchA("printers", "--add", "Zebra A", "--folder", filepath.Join(dirA, "zebra"))
	require.Equal(t, 0, code, stderr)
	_, out, _ = benchB("printers")
	assert.NotContains(t, out, "Zebra A")

	code, out, stderr = benchB("db", "status")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "This bench: Pack-2")
	assert.Regexp(t, `(?s)Benches \(2\):.*Pack-1.*Pack-2`, out)

	// The queue's password never lands in a file.
	cfg, err := os.ReadFile(filepath.Join(dirB, QueueFile))
	require.NoError(t, err)
	assert.Contains(t, string(cfg), `"bench": "Pack-2"`)
}

// The shared queue's server goes away: the bench buys nothing and says
// why, and still reprints a label it printed, from its own cache.
func TestAnUnreachableQueueBuysNothingAndReprintsFromTheCache(t *testing.T) {
	s, dir, pb := simCLI(t, 22, 6)
	server := pgtest.Start(t)
	queue := pgtest.NewDatabase(t)
	require.Equal(t, 0, first(pb("db", "init", "--database", queue, "--bench", "Pack-1")))
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	zebra := filepath.Join(dir, "zebra")
	code, _, stderr := pb("printers", "--add", "Zebra", "--folder", zebra)
	require.Equal(t, 0, code, stderr)
	_, out, _ := pb("orders", "--json", "--status", "ready")
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.GreaterOrEqual(t, len(rows), 2)
	code, _, stderr = pb("buy", rows[0].AmazonOrderID, "--weight", "900", "--print-label")
	require.Equal(t, 0, code, stderr)
	printed, _ := os.ReadDir(zebra)
	require.Len(t, printed, 1)
	label, err := os.ReadFile(filepath.Join(zebra, printed[0].Name()))
	require.NoError(t, err)

	server.Stop(t)
	restarted := false
	defer func() {
		if !restarted {
			server.Restart(t)
		}
	}()
	code, _, stderr = pb("buy", rows[1].AmazonOrderID, "--weight", "900")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cannot reach PostgreSQL")
	assert.Len(t, s.Purchases(), 1, "nothing bought while the queue is away")

	code, out, stderr = pb("reprint", rows[0].AmazonOrderID)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "label printed from this bench's cache")
	printed, _ = os.ReadDir(zebra)
	require.Len(t, printed, 2)
	again, err := os.ReadFile(filepath.Join(zebra, printed[1].Name()))
	require.NoError(t, err)
	assert.Equal(t, label, again, "the same label, byte for byte")
	code, _, stderr = pb("reprint", rows[1].AmazonOrderID)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "has not printed that order's label")

	// The cache is sealed: the label's text is not in its file.
	cached, _ := filepath.Glob(filepath.Join(dir, LabelCacheDir, "*.label"))
	require.Len(t, cached, 1)
	raw, _ := os.ReadFile(cached[0])
	assert.NotContains(t, string(raw), "^XA")

	server.Restart(t)
	restarted = true
	code, _, stderr = pb("orders")
	assert.Equal(t, 0, code, stderr)
}

// The queue's password, in the URL's user part or its query, goes to the
// keychain; the file keeps the rest, and the bench gets it back whole.
func TestTheQueuesPasswordIsKeptInTheKeychain(t *testing.T) {
	dir := t.TempDir()
	secrets := keychain.NewFile(dir, "")
	for _, location := range []string{
		"postgres://packbench:s3cret@db.example:5432/packbench?sslmode=require",
		"postgres://packbench@db.example:5432/packbench?password=s3cret&sslmode=require",
	} {
		require.NoError(t, saveQueue(dir, secrets, location, "Pack-1"))
		raw, err := os.ReadFile(filepath.Join(dir, QueueFile))
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "s3cret")
		q, joined, err := loadQueue(dir)
		require.NoError(t, err)
		require.True(t, joined)
		assert.Equal(t, "postgres://packbench:s3cret@db.example:5432/packbench?sslmode=require", withPassword(q.Database, secrets))
	}
}

// A db subcommand given something it does not take says so and does nothing.
func TestADBSubcommandRefusesWhatItDoesNotTake(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := run(t, nil, "db", "init", "--database", "postgres://packbench@127.0.0.1:1/packbench", "now", "--data-dir", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `packbench db init takes no "now"`)
	_, err := os.Stat(filepath.Join(dir, QueueFile))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing joined")
}
