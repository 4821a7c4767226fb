package station

import (
	"context"
	"errors"
	"time"
)

// CatalogImages fetches a product's MAIN image from Amazon's catalog.
type CatalogImages interface {
	CatalogImage(ctx context.Context, c Credentials, marketplaceID, asin string) (img []byte, found bool, err error)
}

// ImageCache keeps product images (nil for a product known to have none).
type ImageCache interface {
	CatalogImage(ctx context.Context, marketplaceID, asin string) (img []byte, found bool, at time.Time, err error)
	SaveCatalogImage(ctx context.Context, marketplaceID, asin string, img []byte, at time.Time) error
}

// askAgainAfter is how long "this product has no image" is believed.
const askAgainAfter = 7 * 24 * time.Hour

// ItemImages returns the pictures of an order's products, by SKU, from the
// cache or Amazon's catalog. Images are a help, not a need: a product
// without one, or a catalog that does not answer, just has none.
func (s *Station) ItemImages(ctx context.Context, orderID int64) (map[string][]byte, error) {
	source, ok := s.source.(CatalogImages)
	cache, cached := s.repo.(ImageCache)
	if !ok || !cached {
		return nil, errors.New("product images are not available in this build")
	}
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	asins, creds := s.itemASINs(ctx, o)
	for _, it := range o.Items {
		it.ASIN = asins[it.SKU]
		if it.ASIN == "" || out[it.SKU] != nil {
			continue
		}
		img, found, at, err := cache.CatalogImage(ctx, o.MarketplaceID, it.ASIN)
		switch {
		case err == nil && found:
			out[it.SKU] = img
			continue
		case err == nil && s.now().Sub(at) < askAgainAfter:
			continue // known to have none
		case err != nil && !errors.Is(err, ErrNotFound):
			return out, err
		}
		if creds == nil {
			c, err := s.credsForOrder(ctx, orderID)
			if err != nil {
				return out, nil // a store that cannot call Amazon shows no images
			}
			creds = &c
		}
		img, found, err = source.CatalogImage(ctx, *creds, o.MarketplaceID, it.ASIN)
		if err != nil {
			s.log.Info("product image not fetched", "asin", it.ASIN, "err", err)
			continue
		}
		if !found {
			img = nil
		}
		if err := cache.SaveCatalogImage(ctx, o.MarketplaceID, it.ASIN, img, s.now()); err != nil {
			return out, err
		}
		if found {
			out[it.SKU] = img
		}
	}
	return out, nil
}

// itemASINs is each of the order's SKUs' ASIN. Orders from the Unshipped
// Orders report carry none: getOrder has them. The credentials are those
// it asked with (nil when it did not ask).
func (s *Station) itemASINs(ctx context.Context, o Order) (map[string]string, *Credentials) {
	var creds *Credentials
	asins := map[string]string{}
	missing := false
	for _, it := range o.Items {
		asins[it.SKU] = it.ASIN
		missing = missing || it.ASIN == ""
	}
	if missing && s.shipper != nil {
		if c, err := s.credsForOrder(ctx, o.ID); err == nil {
			creds = &c
			if fresh, err := s.shipper.RefreshOrder(ctx, c, o.AmazonOrderID); err == nil {
				for _, it := range fresh.Items {
					if asins[it.SKU] == "" {
						asins[it.SKU] = it.ASIN
					}
				}
			}
		}
	}
	return asins, creds
}
