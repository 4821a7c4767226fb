package logging_test

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/packbench/packbench/logging"
	"github.com/packbench/packbench/station"
)

// Every domain type that carries a buyer's data or a secret, logged the
// careless way (as a value under an innocent key, inside a group, through
// With), leaves none of it in the log.
func TestNoDomainTypeLeaksPersonalDataOrSecrets(t *testing.T) {
	addr := station.Address{Name: "Jane Buyer", Company: "Buyer Co", Line1: "12 Secret Lane", City: "Springfield",
		PostalCode: "99999", CountryCode: "US", Phone: "+1 555 0199", Email: "jane@example.com"}
	order := station.Order{ID: 1, AmazonOrderID: "111-0000001-0000001", BuyerName: "Jane Buyer", ShipTo: addr,
		Items: []station.Item{{SKU: "SKU-1", Title: "Gift for Jane Buyer", Quantity: 1}}}
	creds := station.Credentials{Auth: station.AuthOwnApp, SellingPartnerID: "A1SELLER", RefreshToken: "Atzr|REFRESHSECRET", ClientSecret: "amzn1.oa2-cs.v1.abcdef0123"}
	values := map[string]any{
		"order":       order,
		"orderPtr":    &order,
		"address":     addr,
		"credentials": creds,
		"orders":      []station.Order{order},
		"label":       station.Label{ShipmentID: 1, Format: station.FormatZPL203, Contents: []byte("^XA^FDJane Buyer 12 Secret Lane^FS^XZ")},
		"slip":        station.PackingSlip{AmazonOrderID: order.AmazonOrderID, ShipTo: addr, GiftMessages: []string{"Love from Jim Sender"}},
		"intent":      station.OpenIntent{PurchaseIntent: station.PurchaseIntent{OrderID: 1}},
		"manual":      station.ManualShipment{TrackingNumber: "9400100000000000000001"},
		"map":         map[string]string{"who": "Jane Buyer"},
		"bytes":       []byte("Jane Buyer"),
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		log := slog.New(logging.NewMaskingHandler(h))
		for k, v := range values {
			log.Info("logged", "v", v)
			log.Info("logged", slog.Group("g", k, v))
			log.With("w", v).Info("logged")
			log.Info("logged", k, v)
		}
		log.Error("failed", "err", errors.New("refresh_token=Atzr|REFRESHSECRET for jane@example.com"), "took", time.Second)
	}
	out := buf.String()
	for _, secret := range []string{"Jane", "Secret Lane", "Springfield", "99999", "555 0199", "jane@example.com", "Buyer Co",
		"Jim Sender", "REFRESHSECRET", "abcdef0123"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "111-0000001-0000001", "an order is still logged by its id")
	assert.Contains(t, out, "took=1s", "plain values are kept")
}
