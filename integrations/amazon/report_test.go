package amazon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

func TestActionableReportIsReadByColumnName(t *testing.T) {
	// Columns in another order, one Packbench does not know, and no buyer phone.
	raw := "\ufefforder-item-id\torder-id\tsku\tunknown-new-column\tquantity-purchased\tquantity-shipped\tquantity-to-ship\t" +
		"purchase-date\trecipient-name\tship-address-1\tship-city\tship-postal-code\tship-country\tis-prime\tsales-channel\n" +
		"1001\t202-1111111-1111111\tMUG\tx\t2\t0\t2\t2026-11-20T10:00:00+00:00\tZoë Ångström\t1 High St\tLondon\tSW1A 1AA\tGB\ttrue\tAmazon.co.uk\n" +
		"1002\t202-1111111-1111111\tTEE\tx\t3\t1\t2\t2026-11-20T10:00:00+00:00\tZoë Ångström\t1 High St\tLondon\tSW1A 1AA\tGB\ttrue\tAmazon.co.uk\n" +
		"2001\t113-2222222-2222222\tPAN\tx\t1\t0\t1\t2026-11-21T08:00:00Z\tSam Lee\t5 Main St\tSeattle\t98109\tUS\tfalse\t\n"
	orders, err := ParseActionableReport([]byte(raw))
	require.NoError(t, err)
	require.Len(t, orders, 2)
	uk := orders[0]
	assert.Equal(t, "202-1111111-1111111", uk.AmazonOrderID)
	assert.Equal(t, "A1F83G8C2ARO7P", uk.MarketplaceID)
	assert.Equal(t, station.AmazonPartiallyShipped, uk.AmazonStatus, "one item already shipped")
	require.Len(t, uk.Items, 2)
	assert.Equal(t, 3, uk.Items[1].Quantity)
	assert.Equal(t, "Zoë Ångström", uk.ShipTo.Name)
	assert.True(t, uk.Prime)
	assert.Equal(t, "ATVPDKIKX0DER", orders[1].MarketplaceID, "no sales channel: the ship country decides")

	_, err = ParseActionableReport([]byte("sku\tfoo\nA\tB\n"))
	assert.ErrorContains(t, err, "order-id")
	orders, err = ParseActionableReport(nil)
	require.NoError(t, err)
	assert.Empty(t, orders)
}
