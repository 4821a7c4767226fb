package station

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPickListSumsWhatIsLeftToShipBySKU(t *testing.T) {
	orders := []Order{
		{AmazonOrderID: "113-2", Items: []Item{{SKU: "MUG", Title: "Mug", Quantity: 2}, {SKU: "TEA", Title: "Tea", Quantity: 1}}},
		{AmazonOrderID: "113-1", Items: []Item{{SKU: "MUG", Title: "Mug", Quantity: 3, Shipped: 1}, {SKU: "BAG", Title: "Bag", Quantity: 1, Cancelled: true}}},
		{AmazonOrderID: "113-3", Items: []Item{{SKU: "MUG", Title: "Mug", Quantity: 1, Shipped: 1}}},
	}
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	p := BuildPickList(orders, now)
	assert.Equal(t, 3, p.Orders)
	assert.Equal(t, now, p.CreatedAt)
	assert.Equal(t, []PickLine{
		{SKU: "MUG", Title: "Mug", Quantity: 4, Orders: []string{"113-1", "113-2"}},
		{SKU: "TEA", Title: "Tea", Quantity: 1, Orders: []string{"113-2"}},
	}, p.Lines, "shipped and cancelled units are not picked; SKUs sorted, orders sorted")
}

func TestPrintOrders(t *testing.T) {
	for in, want := range map[string]PrintOrder{"": PrintInListOrder, "pick": PrintInListOrder, "SKU": PrintBySKU, "reverse": PrintReverse} {
		got, err := ParsePrintOrder(in)
		assert.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParsePrintOrder("random")
	assert.ErrorContains(t, err, "list (pick order), sku or reverse")
}

func TestPrinterFormatsBuyWhatNeedsNoConversion(t *testing.T) {
	assert.Equal(t, FormatPNG, FormatPDFLetter.Purchase(), "a sheet printer gets a PNG placed at true size")
	assert.Equal(t, FormatPNG, FormatPDFA4.Purchase())
	assert.Equal(t, FormatZPL300, FormatZPL300.Purchase())
	assert.Equal(t, FormatPDF, FormatPDF.Purchase())
	assert.Equal(t, FormatZPL203, LabelFormat("").Purchase())
	assert.Equal(t, 300, FormatZPL300.DPI())
}
