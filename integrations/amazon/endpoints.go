// Package amazon is Packbench's side of Amazon: Login with Amazon (through
// the auth broker, or straight to LWA for a seller's own app), the loopback
// listener and pasted-URL fallbacks of the sign-in, a token source that
// refreshes early, and the Selling Partner API client. It implements
// station.Amazon. Amazon's hosts are configuration (Endpoints), so the same
// code talks to Amazon, to the simulator (integrations/amazon/sim) or to any
// proxy that speaks SP-API.
package amazon

import (
	"os"
	"strings"

	"github.com/packbench/packbench/station"
)

// Endpoints are the hosts Packbench calls.
type Endpoints struct {
	// SPAPI is the Selling Partner API base URL per region.
	SPAPI map[station.Region]string
	// LWATokenURL is Login with Amazon's token endpoint (own-app stores).
	LWATokenURL string
	// SellerCentral, when set, replaces every marketplace's Seller Central URL
	// (the simulator serves the consent page itself).
	SellerCentral string
}

// Production are Amazon's documented hosts (docs/amazon.md, "Hosts and headers").
func Production() Endpoints {
	return Endpoints{
		SPAPI: map[station.Region]string{
			station.RegionNA: "https://sellingpartnerapi-na.amazon.com",
			station.RegionEU: "https://sellingpartnerapi-eu.amazon.com",
			station.RegionFE: "https://sellingpartnerapi-fe.amazon.com",
		},
		LWATokenURL: "https://api.amazon.com/auth/o2/token",
	}
}

// Simulator points every host at one simulator base URL.
func Simulator(base string) Endpoints {
	base = strings.TrimRight(base, "/")
	return Endpoints{
		SPAPI:         map[station.Region]string{station.RegionNA: base, station.RegionEU: base, station.RegionFE: base},
		LWATokenURL:   base + "/auth/o2/token",
		SellerCentral: base,
	}
}

// FromEnv overrides hosts from PACKBENCH_SPAPI_NA, PACKBENCH_SPAPI_EU,
// PACKBENCH_SPAPI_FE, PACKBENCH_LWA_TOKEN_URL and PACKBENCH_SELLER_CENTRAL_URL.
func (e Endpoints) FromEnv(getenv func(string) string) Endpoints {
	if getenv == nil {
		getenv = os.Getenv
	}
	out := Endpoints{SPAPI: map[station.Region]string{}, LWATokenURL: e.LWATokenURL, SellerCentral: e.SellerCentral}
	for r, u := range e.SPAPI {
		out.SPAPI[r] = u
	}
	for _, r := range []station.Region{station.RegionNA, station.RegionEU, station.RegionFE} {
		if v := getenv("PACKBENCH_SPAPI_" + string(r)); v != "" {
			out.SPAPI[r] = strings.TrimRight(v, "/")
		}
	}
	if v := getenv("PACKBENCH_LWA_TOKEN_URL"); v != "" {
		out.LWATokenURL = v
	}
	if v := getenv("PACKBENCH_SELLER_CENTRAL_URL"); v != "" {
		out.SellerCentral = strings.TrimRight(v, "/")
	}
	return out
}

// SellerCentralURL is where a seller of this marketplace signs in.
func (e Endpoints) SellerCentralURL(marketplaceID string) string {
	if e.SellerCentral != "" {
		return e.SellerCentral
	}
	if mp, ok := station.MarketplaceByID(marketplaceID); ok {
		return mp.SellerCentralURL
	}
	return "https://sellercentral.amazon.com"
}
