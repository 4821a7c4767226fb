package store

import (
	"context"
	"database/sql"

	"github.com/packbench/packbench/station"
)

// PackagePresets lists the boxes by name.
func (db *DB) PackagePresets(ctx context.Context) ([]station.PackagePreset, error) {
	return scanAll[station.PackagePreset](db.r.QueryContext(ctx, `SELECT id, name, length, width, height, length_unit, tare_value, tare_unit
		FROM package_presets ORDER BY name`))(func(rows *sql.Rows) (station.PackagePreset, error) {
		var p station.PackagePreset
		var lu, tu string
		err := rows.Scan(&p.ID, &p.Name, &p.Dimensions.Length, &p.Dimensions.Width, &p.Dimensions.Height, &lu,
			&p.Tare.Value, &tu)
		p.Dimensions.Unit, p.Tare.Unit = station.LengthUnit(lu), station.WeightUnit(tu)
		return p, err
	})
}

// SavePackagePreset adds a box, or replaces the one with the same name.
func (db *DB) SavePackagePreset(ctx context.Context, p station.PackagePreset) (station.PackagePreset, error) {
	if p.Tare.Unit == "" {
		p.Tare.Unit = station.Gram
	}
	d := p.Dimensions
	err := db.w.QueryRowContext(ctx, `INSERT INTO package_presets (name, length, width, height, length_unit, tare_value, tare_unit)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET length = excluded.length, width = excluded.width,
		height = excluded.height, length_unit = excluded.length_unit, tare_value = excluded.tare_value, tare_unit = excluded.tare_unit
		RETURNING id`, p.Name, d.Length, d.Width, d.Height, string(d.Unit), p.Tare.Value, string(p.Tare.Unit)).Scan(&p.ID)
	return p, err
}

// DeletePackagePreset removes a box.
func (db *DB) DeletePackagePreset(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM package_presets WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return station.ErrNotFound
	}
	return nil
}
