package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/station"
)

func run(t *testing.T, gui GUI, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb, gui)
	return code, out.String(), errb.String()
}

func TestOrdersJSONOnAnEmptyDataDirPrintsAnEmptyArray(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, nil, "orders", "--json", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "[]\n", out)
	_, err := os.Stat(filepath.Join(dir, "packbench.db"))
	assert.NoError(t, err)

	// The global position works too, and a second start migrates nothing.
	code, out, _ = run(t, nil, "--data-dir", dir, "orders", "--json")
	require.Equal(t, 0, code)
	assert.Equal(t, "[]\n", out)
	log, err := os.ReadFile(filepath.Join(dir, "packbench.log"))
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(log), "database migrated"))
}

func seed(t *testing.T, dir string) {
	t.Helper()
	env, err := OpenEnv(context.Background(), dir)
	require.NoError(t, err)
	defer env.Close()
	s, err := env.DB.CreateStore(context.Background(), station.Store{Name: "Demo", Region: station.RegionNA, Auth: station.AuthDemo})
	require.NoError(t, err)
	at := time.Date(2026, 11, 21, 8, 30, 0, 0, time.UTC)
	_, err = env.Station.SaveOrders(context.Background(), s.ID, []station.Order{{
		AmazonOrderID: "113-1234567-7654321", MarketplaceID: "ATVPDKIKX0DER", PurchasedAt: at, LastUpdatedAt: at,
		AmazonStatus: station.AmazonUnshipped, BuyerName: "Zoë Example",
		Items: []station.Item{{OrderItemID: "1", SKU: "MUG-RED", Title: "Red mug", Quantity: 2}},
	}})
	require.NoError(t, err)
}

func TestOrdersListsWhatIsStoredWithoutPersonalData(t *testing.T) {
	dir := t.TempDir()
	seed(t, dir)

	code, out, stderr := run(t, nil, "orders", "--json", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, "113-1234567-7654321", rows[0]["amazonOrderId"])
	assert.Equal(t, "ready", rows[0]["status"])
	assert.Equal(t, float64(2), rows[0]["itemCount"])
	assert.NotContains(t, out, "Zoë")

	code, out, _ = run(t, nil, "orders", "--data-dir", dir)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "113-1234567-7654321")
	assert.Contains(t, out, "Ready to ship")
	assert.Contains(t, out, "MUG-RED")

	code, out, _ = run(t, nil, "orders", "--json", "--status", "shipped", "--data-dir", dir)
	require.Equal(t, 0, code)
	assert.Equal(t, "[]\n", out)

	code, out, _ = run(t, nil, "orders", "--json", "--search", "mug-red", "--data-dir", dir)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "113-1234567-7654321")
}

func TestBadInputSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := run(t, nil, "orders", "--status", "lost", "--data-dir", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "use ready, label_bought, shipped, delivered or cancelled")

	code, _, stderr = run(t, nil, "ship-it", "--data-dir", dir)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown command "ship-it"`)
	assert.Contains(t, stderr, "Commands:")

	code, _, stderr = run(t, nil, "orders", "--data-dir")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--data-dir needs a value")
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := run(t, nil, "version")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "packbench "+Version+" (go"), out)

	code, out, _ = run(t, nil, "help")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "orders")
	assert.Contains(t, out, "--data-dir")
}

func TestNoCommandStartsTheGUIOnTheDataDir(t *testing.T) {
	dir := t.TempDir()
	seed(t, dir)
	var got []station.OrderRow
	code, _, stderr := run(t, func(ctx context.Context, env *Env) error {
		var err error
		got, err = env.Station.AllOrders(ctx, station.OrderFilter{})
		return err
	}, "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	require.Len(t, got, 1)
}

func keychainFile(dir string) *keychain.File { return keychain.NewFile(dir, "") }
