package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/packbench/packbench/station"
)

// product is one catalog item a seller sells.
type product struct {
	ASIN, SKU, Title string
	PriceUSD         float64
	Grams            float64
	DimsCM           [3]float64 // length, width, height of the package
	InCatalog        bool       // whether getCatalogItem knows its dimensions
	HighValue        bool       // needs a signature on delivery
}

// generator makes the same world from the same seed.
type generator struct{ rng *rand.Rand }

func newGenerator(seed uint64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

var productNames = []struct {
	sku, title   string
	price, grams float64
	dims         [3]float64
}{
	{"MUG-CER-12", "Ceramic Coffee Mug 12 oz", 14.99, 420, [3]float64{12, 12, 11}},
	{"MUG-TRV-16", "Insulated Travel Mug 16 oz, Stainless Steel", 24.99, 380, [3]float64{22, 10, 10}},
	{"TEA-TIN-100", "Loose Leaf Tea Tin, 100 g", 9.5, 160, [3]float64{9, 9, 12}},
	{"KNF-CHF-8", "Chef's Knife 8 inch, High-Carbon Steel", 59, 310, [3]float64{36, 8, 3}},
	{"PAN-CI-10", "Cast Iron Skillet 10.25 inch", 34.9, 2600, [3]float64{44, 28, 7}},
	{"BRD-BMB-L", "Bamboo Cutting Board, Large", 22, 1150, [3]float64{46, 31, 3}},
	{"TWL-KIT-4", "Kitchen Towels, Set of 4", 16.99, 300, [3]float64{25, 20, 5}},
	{"SPC-RCK-20", "Rotating Spice Rack with 20 Jars", 39.99, 2100, [3]float64{30, 30, 30}},
	{"GRN-SLT-1", "Salt and Pepper Grinder Set", 19.99, 540, [3]float64{22, 15, 7}},
	{"SCL-DIG-5", "Digital Kitchen Scale, 5 kg", 18.49, 650, [3]float64{25, 20, 5}},
	{"THR-MOM-1", "Instant-Read Meat Thermometer", 15.99, 120, [3]float64{20, 8, 3}},
	{"BLN-HSP-1", "High-Speed Blender, 1400 W", 129, 4800, [3]float64{45, 25, 25}},
	{"CFE-GRD-1", "Burr Coffee Grinder", 89.99, 2300, [3]float64{32, 20, 18}},
	{"LNC-BOX-2", "Glass Lunch Boxes, 2 Pack", 21.5, 1400, [3]float64{28, 20, 12}},
	{"APR-LIN-1", "Linen Apron with Pockets", 27, 250, [3]float64{30, 22, 3}},
	{"CND-SOY-3", "Soy Candles, Set of 3 — Lavender, Cedar & Vanilla Bean Scented", 28.99, 900, [3]float64{24, 16, 10}},
	{"WCH-SMT-2", "Smart Watch Series 2 (Signature Required)", 249, 280, [3]float64{14, 10, 8}},
	{"HDP-NC-1", "Noise-Cancelling Headphones", 199, 650, [3]float64{24, 20, 10}},
	{"TRV-DRP-1", "Cold Brew Coffee Maker 1.5 L", 26.99, 980, [3]float64{30, 12, 12}},
	{"PLT-STN-6", "Stoneware Dinner Plates, Set of 6", 64, 5200, [3]float64{33, 33, 20}},
}

// catalog returns the products, with ASINs and whether the catalog has dimensions.
func (g *generator) catalog() []*product {
	out := make([]*product, len(productNames))
	for i, p := range productNames {
		out[i] = &product{
			ASIN: fmt.Sprintf("B0%08X", 0x5A1000+i*7919), SKU: p.sku, Title: p.title, PriceUSD: p.price,
			Grams: p.grams, DimsCM: p.dims, InCatalog: i%4 != 3, HighValue: p.price >= 199,
		}
	}
	return out
}

var currencyFactor = map[string]float64{"USD": 1, "CAD": 1.36, "MXN": 17.2, "BRL": 5.1, "GBP": 0.79, "EUR": 0.92,
	"SEK": 10.6, "PLN": 4, "TRY": 33, "JPY": 151, "AUD": 1.52, "SGD": 1.35, "INR": 83, "AED": 3.67, "SAR": 3.75, "EGP": 48, "ZAR": 18.5}

var buyerNames = []string{
	"Alex Johnson", "Maria Garcia", "Chen Wei", "Priya Patel", "Zoë Ångström", "José Álvarez-Núñez", "山田 太郎",
	"Łukasz Żółć", "Seán Ó Briain", "Björk Guðmundsdóttir", "François Lefèvre", "Émilie Dubois-Côté",
	"Maximilian Alexander Konstantin von und zu Hohenberg-Schwarzenstein", "O'Connor, Siobhán", "Nguyễn Thị Minh Khai",
	"Sam Lee", "Jordan Smith", "Fatima Al-Sayed", "Olumide Adeyemi", "Anaïs Nin-Bélanger",
}

type cityInfo struct{ city, state, postal, phonePrefix string }

var cities = map[string][]cityInfo{
	"US": {{"Seattle", "WA", "98109", "+1 206"}, {"Austin", "TX", "78701", "+1 512"}, {"Brooklyn", "NY", "11201", "+1 718"}, {"Anchorage", "AK", "99501", "+1 907"}, {"Honolulu", "HI", "96813", "+1 808"}},
	"CA": {{"Toronto", "ON", "M5V 2T6", "+1 416"}, {"Montréal", "QC", "H2X 1Y4", "+1 514"}},
	"MX": {{"Ciudad de México", "CDMX", "06700", "+52 55"}, {"Guadalajara", "JAL", "44100", "+52 33"}},
	"UK": {{"London", "Greater London", "SW1A 1AA", "+44 20"}, {"Manchester", "Greater Manchester", "M1 1AE", "+44 161"}, {"Edinburgh", "Scotland", "EH1 1YZ", "+44 131"}},
	"DE": {{"Berlin", "Berlin", "10115", "+49 30"}, {"München", "Bayern", "80331", "+49 89"}},
	"FR": {{"Paris", "Île-de-France", "75001", "+33 1"}, {"Lyon", "Auvergne-Rhône-Alpes", "69001", "+33 4"}},
	"IT": {{"Milano", "MI", "20121", "+39 02"}, {"Roma", "RM", "00184", "+39 06"}},
	"ES": {{"Madrid", "Madrid", "28013", "+34 91"}, {"Barcelona", "Barcelona", "08002", "+34 93"}},
	"JP": {{"渋谷区", "東京都", "150-0002", "+81 3"}, {"大阪市北区", "大阪府", "530-0001", "+81 6"}},
	"AU": {{"Sydney", "NSW", "2000", "+61 2"}, {"Melbourne", "VIC", "3000", "+61 3"}},
}

var streets = []string{"Main St", "Oak Avenue", "Rue de Rivoli", "Hauptstraße", "Calle Mayor", "Via Roma", "High Street",
	"Long Crescent Road, Industrial Estate Unit 14B, Building C, Floor 3, Suite 301", "神宮前1-2-3", "King's Road"}

var orderPrefix = map[string][]int{"NA": {111, 112, 113, 114}, "EU": {202, 203, 302, 305, 402, 407}, "FE": {249, 503, 250}}

func (g *generator) pick(n int) int { return g.rng.IntN(n) }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// orders generates n orders for a seller, created over the ten days before now.
func (g *generator) orders(seller Seller, n int, now time.Time) []*order {
	catalog := g.catalog()
	out := make([]*order, 0, n)
	for i := 0; i < n; i++ {
		mpID := seller.Marketplaces[g.pick(len(seller.Marketplaces))]
		mp, _ := station.MarketplaceByID(mpID)
		prefixes := orderPrefix[seller.Region]
		created := now.Add(-time.Duration(g.rng.Int64N(int64(10 * 24 * time.Hour)))).Truncate(time.Second)
		o := &order{
			SellerID:      seller.ID,
			ID:            fmt.Sprintf("%03d-%07d-%07d", prefixes[g.pick(len(prefixes))], g.rng.IntN(1e7), g.rng.IntN(1e7)),
			MarketplaceID: mpID,
			Currency:      mp.Currency,
			Created:       created,
			LastUpdated:   created.Add(time.Duration(g.rng.IntN(3600)) * time.Second),
			Status:        "UNSHIPPED",
			FulfilledBy:   "MERCHANT",
			ServiceLevel:  []string{"Standard", "Standard", "Standard", "Standard", "Expedited", "SecondDay", "NextDay"}[g.pick(7)],
		}
		if o.LastUpdated.After(now) {
			o.LastUpdated = now.Truncate(time.Second)
		}
		shipDays := 1 + g.pick(2)
		o.ShipBy = [2]time.Time{created, created.Add(time.Duration(shipDays) * 24 * time.Hour)}
		o.DeliverBy = [2]time.Time{created.Add(time.Duration(shipDays+1) * 24 * time.Hour), created.Add(time.Duration(shipDays+5) * 24 * time.Hour)}
		if g.chance(0.3) {
			o.Programs = append(o.Programs, "PRIME")
		}
		name := buyerNames[g.pick(len(buyerNames))]
		o.Buyer = buyer{Name: name, Email: fmt.Sprintf("%s@marketplace.amazon.%s", randomLetters(g, 16), strings.TrimPrefix(mp.Domain, "amazon."))}
		if g.chance(0.1) {
			o.Programs = append(o.Programs, "AMAZON_BUSINESS")
			o.Buyer.Company = "Ångström & Söhne Logistik GmbH"
			o.Buyer.PurchaseOrder = fmt.Sprintf("PO-%06d", g.rng.IntN(1e6))
		}
		if g.chance(0.2) {
			o.SellerOrderID = fmt.Sprintf("SO-%d", 100000+i)
		}
		cs := cities[mp.Country]
		if len(cs) == 0 {
			cs = cities["US"]
		}
		c := cs[g.pick(len(cs))]
		o.Address = address{Name: name, Line1: fmt.Sprintf("%d %s", 1+g.pick(9999), streets[g.pick(len(streets))]),
			City: c.city, State: c.state, PostalCode: c.postal, Country: mp.Country, Type: "RESIDENTIAL"}
		if o.Buyer.Company != "" {
			o.Address.Company, o.Address.Type = o.Buyer.Company, "COMMERCIAL"
		}
		if g.chance(0.25) {
			o.Address.Line2 = fmt.Sprintf("Apt %d", 1+g.pick(400))
		}
		if g.chance(0.7) {
			o.Address.Phone = fmt.Sprintf("%s %03d %04d", c.phonePrefix, g.pick(1000), g.pick(10000))
		}
		nItems := 1
		if g.chance(0.25) {
			nItems = 2 + g.pick(3)
		}
		factor := currencyFactor[o.Currency]
		if factor == 0 {
			factor = 1
		}
		used := map[int]bool{}
		for j := 0; j < nItems; j++ {
			k := g.pick(len(catalog))
			if used[k] {
				continue
			}
			used[k] = true
			p := catalog[k]
			qty := 1
			if g.chance(0.15) {
				qty = 2 + g.pick(3)
			}
			it := &item{ID: fmt.Sprintf("%014d", g.rng.Int64N(1e14)), ASIN: p.ASIN, SKU: p.SKU, Title: p.Title, Quantity: qty,
				UnitPrice: math.Round(p.PriceUSD*factor*100) / 100, SignatureRequired: p.HighValue}
			if g.chance(0.05) {
				it.GiftMessage = "Happy birthday! With love from all of us — Zoë & José"
			}
			o.Items = append(o.Items, it)
		}
		g.applyStatus(o)
		if o.Status == "UNSHIPPED" || o.Status == "PENDING" {
			recent(o, now)
		}
		out = append(out, o)
	}
	return out
}

// recent brings an order still to ship into the last two days, its dates
// moved together: a seller ships most orders within a day or two, so the
// ones waiting are recent (a few overdue), while the shipped and cancelled
// ones keep the ten days of history.
func recent(o *order, now time.Time) {
	age := now.Sub(o.Created)
	moved := now.Add(-age / 5).Truncate(time.Second)
	d := moved.Sub(o.Created)
	o.Created = moved
	o.LastUpdated = o.LastUpdated.Add(d)
	if o.LastUpdated.After(now) {
		o.LastUpdated = now.Truncate(time.Second)
	}
	o.ShipBy = [2]time.Time{o.ShipBy[0].Add(d), o.ShipBy[1].Add(d)}
	o.DeliverBy = [2]time.Time{o.DeliverBy[0].Add(d), o.DeliverBy[1].Add(d)}
}

// applyStatus spreads orders over the statuses an import must handle.
func (g *generator) applyStatus(o *order) {
	switch r := g.rng.Float64(); {
	case r < 0.05:
		o.FulfilledBy, o.Status = "AMAZON", "SHIPPED"
		for _, it := range o.Items {
			it.Shipped = it.Quantity
		}
	case r < 0.09:
		o.Status = "PENDING" // not paid yet
	case r < 0.14:
		o.Status = "CANCELLED"
		for _, it := range o.Items {
			it.Cancelled = true
		}
	case r < 0.22:
		o.Status = "SHIPPED"
		for _, it := range o.Items {
			it.Shipped = it.Quantity
		}
		o.Packages = append(o.Packages, &pkg{ReferenceID: "1", Created: o.Created.Add(20 * time.Hour), Status: "SHIPPED",
			Carrier: "USPS", Service: "USPS Ground Advantage", Tracking: fmt.Sprintf("9400%018d", g.rng.Int64N(1e18)),
			ShipTime: o.Created.Add(20 * time.Hour), Items: map[string]int{o.Items[0].ID: o.Items[0].Quantity}})
	case r < 0.27 && len(o.Items) > 1:
		o.Status = "PARTIALLY_SHIPPED"
		o.Items[0].Shipped = o.Items[0].Quantity
		o.Packages = append(o.Packages, &pkg{ReferenceID: "1", Created: o.Created.Add(10 * time.Hour), Status: "SHIPPED",
			Carrier: "UPS", Service: "UPS Ground", Tracking: fmt.Sprintf("1Z%016X", g.rng.Int64N(1<<62)),
			ShipTime: o.Created.Add(10 * time.Hour), Items: map[string]int{o.Items[0].ID: o.Items[0].Quantity}})
	}
}

func randomLetters(g *generator, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[g.pick(len(letters))]
	}
	return string(b)
}
