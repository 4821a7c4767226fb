package station

import "sort"

// Region is an SP-API region: a seller's authorization and endpoint are per region.
type Region string

const (
	RegionNA Region = "NA"
	RegionEU Region = "EU"
	RegionFE Region = "FE"
)

// Marketplace is one Amazon marketplace. The table below follows
// docs/amazon.md, "Hosts and headers" (Amazon's marketplace-ids page).
type Marketplace struct {
	ID               string `json:"id"`
	Country          string `json:"country"` // Amazon's country code (UK, not GB)
	Name             string `json:"name"`
	Region           Region `json:"region"`
	Domain           string `json:"domain"`
	SellerCentralURL string `json:"sellerCentralUrl"`
	Currency         string `json:"currency"`
}

var marketplaces = []Marketplace{
	{"A2EUQ1WTGCTBG2", "CA", "Canada", RegionNA, "amazon.ca", "https://sellercentral.amazon.ca", "CAD"},
	{"ATVPDKIKX0DER", "US", "United States", RegionNA, "amazon.com", "https://sellercentral.amazon.com", "USD"},
	{"A1AM78C64UM0Y8", "MX", "Mexico", RegionNA, "amazon.com.mx", "https://sellercentral.amazon.com.mx", "MXN"},
	{"A2Q3Y263D00KWC", "BR", "Brazil", RegionNA, "amazon.com.br", "https://sellercentral.amazon.com.br", "BRL"},
	{"A28R8C7NBKEWEA", "IE", "Ireland", RegionEU, "amazon.ie", "https://sellercentral.amazon.ie", "EUR"},
	{"A1RKKUPIHCS9HS", "ES", "Spain", RegionEU, "amazon.es", "https://sellercentral-europe.amazon.com", "EUR"},
	{"A1F83G8C2ARO7P", "UK", "United Kingdom", RegionEU, "amazon.co.uk", "https://sellercentral-europe.amazon.com", "GBP"},
	{"A13V1IB3VIYZZH", "FR", "France", RegionEU, "amazon.fr", "https://sellercentral-europe.amazon.com", "EUR"},
	{"AMEN7PMS3EDWL", "BE", "Belgium", RegionEU, "amazon.com.be", "https://sellercentral.amazon.com.be", "EUR"},
	{"A1805IZSGTT6HS", "NL", "Netherlands", RegionEU, "amazon.nl", "https://sellercentral.amazon.nl", "EUR"},
	{"A1PA6795UKMFR9", "DE", "Germany", RegionEU, "amazon.de", "https://sellercentral-europe.amazon.com", "EUR"},
	{"APJ6JRA9NG5V4", "IT", "Italy", RegionEU, "amazon.it", "https://sellercentral-europe.amazon.com", "EUR"},
	{"A2NODRKZP88ZB9", "SE", "Sweden", RegionEU, "amazon.se", "https://sellercentral.amazon.se", "SEK"},
	{"AE08WJ6YKNBMC", "ZA", "South Africa", RegionEU, "amazon.co.za", "https://sellercentral.amazon.co.za", "ZAR"},
	{"A1C3SOZRARQ6R3", "PL", "Poland", RegionEU, "amazon.pl", "https://sellercentral.amazon.pl", "PLN"},
	{"ARBP9OOSHTCHU", "EG", "Egypt", RegionEU, "amazon.eg", "https://sellercentral.amazon.eg", "EGP"},
	{"A33AVAJ2PDY3EV", "TR", "Turkey", RegionEU, "amazon.com.tr", "https://sellercentral.amazon.com.tr", "TRY"},
	{"A17E79C6D8DWNP", "SA", "Saudi Arabia", RegionEU, "amazon.sa", "https://sellercentral.amazon.sa", "SAR"},
	{"A2VIGQ35RCS4UG", "AE", "United Arab Emirates", RegionEU, "amazon.ae", "https://sellercentral.amazon.ae", "AED"},
	{"A21TJRUUN4KGV", "IN", "India", RegionEU, "amazon.in", "https://sellercentral.amazon.in", "INR"},
	{"A19VAU5U5O7RUS", "SG", "Singapore", RegionFE, "amazon.sg", "https://sellercentral.amazon.sg", "SGD"},
	{"A39IBJ37TRP1C6", "AU", "Australia", RegionFE, "amazon.com.au", "https://sellercentral.amazon.com.au", "AUD"},
	{"A1VC38T7YXB528", "JP", "Japan", RegionFE, "amazon.co.jp", "https://sellercentral.amazon.co.jp", "JPY"},
}

var marketplaceByID = func() map[string]Marketplace {
	m := make(map[string]Marketplace, len(marketplaces))
	for _, mp := range marketplaces {
		m[mp.ID] = mp
	}
	return m
}()

// Marketplaces returns every marketplace Packbench knows, sorted by region then country.
func Marketplaces() []Marketplace {
	out := append([]Marketplace(nil), marketplaces...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].Country < out[j].Country
	})
	return out
}

// MarketplaceByID looks a marketplace up by Amazon's marketplace ID.
func MarketplaceByID(id string) (Marketplace, bool) {
	mp, ok := marketplaceByID[id]
	return mp, ok
}

// MarketplaceLabel is the short name shown in lists ("US", "UK"), or the raw
// ID for a marketplace this build does not know yet.
func MarketplaceLabel(id string) string {
	if mp, ok := marketplaceByID[id]; ok {
		return mp.Country
	}
	return id
}
