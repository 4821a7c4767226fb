package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/packbench/packbench/station"
)

// CatalogImage is a cached product image; found is false for a product
// known to have none. ErrNotFound: never asked.
func (db *DB) CatalogImage(ctx context.Context, marketplaceID, asin string) (img []byte, found bool, at time.Time, err error) {
	var fetched int64
	err = db.r.QueryRowContext(ctx, `SELECT image, fetched_at FROM catalog_images WHERE marketplace_id = ? AND asin = ?`,
		marketplaceID, asin).Scan(&img, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, time.Time{}, station.ErrNotFound
	}
	if err != nil {
		return nil, false, time.Time{}, err
	}
	return img, img != nil, time.Unix(fetched, 0).UTC(), nil
}

// SaveCatalogImage caches a product image (nil: the product has none).
func (db *DB) SaveCatalogImage(ctx context.Context, marketplaceID, asin string, img []byte, at time.Time) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO catalog_images (marketplace_id, asin, image, fetched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (marketplace_id, asin) DO UPDATE SET image = excluded.image, fetched_at = excluded.fetched_at`,
		marketplaceID, asin, img, at.Unix())
	return err
}
