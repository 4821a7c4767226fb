package sim

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"

	"github.com/packbench/packbench/station"
)

var languages = map[string]string{"US": "en_US", "CA": "en_CA", "MX": "es_MX", "BR": "pt_BR", "UK": "en_GB", "DE": "de_DE",
	"FR": "fr_FR", "IT": "it_IT", "ES": "es_ES", "NL": "nl_NL", "SE": "sv_SE", "PL": "pl_PL", "JP": "ja_JP", "AU": "en_AU"}

// participations is Sellers API getMarketplaceParticipations.
func (s *Sim) participations(c *call) result {
	payload := []any{}
	for _, id := range c.seller.Marketplaces {
		mp, ok := station.MarketplaceByID(id)
		if !ok {
			continue
		}
		country := mp.Country
		if country == "UK" {
			country = "GB" // the Sellers model wants ISO 3166 codes
		}
		lang := languages[mp.Country]
		if lang == "" {
			lang = "en_US"
		}
		payload = append(payload, map[string]any{
			"marketplace": map[string]any{"id": mp.ID, "name": "Amazon." + strings.TrimPrefix(mp.Domain, "amazon."),
				"countryCode": country, "defaultCurrencyCode": mp.Currency, "defaultLanguageCode": lang, "domainName": "www." + mp.Domain},
			"participation": map[string]any{"isParticipating": true, "hasSuspendedListings": false},
			"storeName":     c.seller.StoreName,
		})
	}
	return ok(map[string]any{"payload": payload})
}

// getCatalogItem is Catalog Items API 2022-04-01 getCatalogItem.
func (s *Sim) getCatalogItem(c *call) result {
	asin := c.r.PathValue("asin")
	q := c.r.URL.Query()
	mps := list(q, "marketplaceIds")
	if len(mps) == 0 {
		return fail(400, "InvalidInput", "marketplaceIds is required.")
	}
	p := s.products[asin]
	if p == nil {
		return fail(http.StatusNotFound, "NOT_FOUND", "Requested item '"+asin+"' not found in marketplace(s) "+strings.Join(mps, ",")+".")
	}
	inc := included(q["includedData"])
	if len(inc) == 0 {
		inc["summaries"] = true
	}
	return ok(s.catalogItem(c, p, mps, inc))
}

// catalogItem is one product as the Catalog Items API shows it, with the
// parts includedData asked for.
func (s *Sim) catalogItem(c *call, p *product, mps []string, inc map[string]bool) map[string]any {
	body := map[string]any{"asin": p.ASIN}
	if inc["summaries"] {
		var sums []any
		for _, mp := range mps {
			sums = append(sums, map[string]any{"marketplaceId": mp, "itemName": p.Title, "brand": "Demo Home"})
		}
		body["summaries"] = sums
	}
	if inc["dimensions"] {
		dims := []any{}
		if p.InCatalog {
			in := func(cm float64) map[string]any { return map[string]any{"unit": "inches", "value": round2(cm / 2.54)} }
			for _, mp := range mps {
				dims = append(dims, map[string]any{"marketplaceId": mp,
					"package": map[string]any{"length": in(p.DimsCM[0]), "width": in(p.DimsCM[1]), "height": in(p.DimsCM[2]),
						"weight": map[string]any{"unit": "pounds", "value": round2(p.Grams / 453.59237)}}})
			}
		}
		body["dimensions"] = dims
	}
	if inc["identifiers"] {
		ids := []any{}
		if p.InCatalog {
			upc := ProductUPC(p.ASIN)
			for _, mp := range mps {
				ids = append(ids, map[string]any{"marketplaceId": mp, "identifiers": []any{
					map[string]any{"identifierType": "UPC", "identifier": upc},
					map[string]any{"identifierType": "EAN", "identifier": "0" + upc}}})
			}
		}
		body["identifiers"] = ids
	}
	if inc["images"] {
		images := []any{}
		if p.InCatalog {
			scheme := "http"
			if c.r.TLS != nil {
				scheme = "https"
			}
			link := scheme + "://" + c.r.Host + "/_images/" + p.ASIN + ".png"
			for _, mp := range mps {
				images = append(images, map[string]any{"marketplaceId": mp, "images": []any{
					map[string]any{"variant": "MAIN", "link": link, "height": productImageSize, "width": productImageSize}}})
			}
		}
		body["images"] = images
	}
	return body
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

// searchCatalogItems is Catalog Items API 2022-04-01 searchCatalogItems,
// by identifiers only. A search by SKU needs the caller's own sellerId: a
// SKU belongs to a seller, and Amazon refuses another seller's id.
func (s *Sim) searchCatalogItems(c *call) result {
	q := c.r.URL.Query()
	mps, ids := list(q, "marketplaceIds"), list(q, "identifiers")
	switch {
	case len(mps) == 0:
		return fail(400, "InvalidInput", "marketplaceIds is required.")
	case len(ids) == 0:
		return fail(400, "InvalidInput", "This simulator searches by identifiers only.")
	case q.Get("identifiersType") == "SKU" && q.Get("sellerId") == "":
		return fail(400, "InvalidInput", "sellerId is required when identifiersType is SKU.")
	case q.Get("identifiersType") == "SKU" && q.Get("sellerId") != c.seller.ID:
		return fail(http.StatusForbidden, "Unauthorized", "Access to requested resource is denied.")
	}
	inc := included(q["includedData"])
	if len(inc) == 0 {
		inc["summaries"] = true
	}
	items := []any{}
	for _, id := range ids {
		for _, p := range s.products {
			if p.ASIN == id || p.SKU == id {
				items = append(items, s.catalogItem(c, p, mps, inc))
			}
		}
	}
	return ok(map[string]any{"numberOfResults": len(items), "items": items})
}

// ProductUPC is the UPC-A printed on a product of the simulated catalog:
// eleven digits from its ASIN and the check digit, the same every run.
func ProductUPC(asin string) string {
	h := fnv.New64a()
	h.Write([]byte(asin))
	digits := fmt.Sprintf("%011d", h.Sum64()%100000000000)
	sum := 0
	for i, d := range digits {
		n := int(d - '0')
		if i%2 == 0 {
			n *= 3
		}
		sum += n
	}
	return digits + strconv.Itoa((10-sum%10)%10)
}
