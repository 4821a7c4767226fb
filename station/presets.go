package station

import (
	"context"
	"errors"
	"strings"
)

// Presets stores the boxes a seller packs in.
type Presets interface {
	PackagePresets(ctx context.Context) ([]PackagePreset, error)
	SavePackagePreset(ctx context.Context, p PackagePreset) (PackagePreset, error)
	DeletePackagePreset(ctx context.Context, id int64) error
}

// PackagePresets lists the boxes, by name.
func (s *Station) PackagePresets(ctx context.Context) ([]PackagePreset, error) {
	return s.repo.PackagePresets(ctx)
}

// SavePackagePreset checks and saves a box.
func (s *Station) SavePackagePreset(ctx context.Context, p PackagePreset) (PackagePreset, error) {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		return PackagePreset{}, errors.New("give the box a name the packer recognises, e.g. Small mailer")
	case !p.Dimensions.Known():
		return PackagePreset{}, errors.New("a box needs its length, width and height, in inches or centimeters")
	case p.Tare.Value < 0:
		return PackagePreset{}, errors.New("the empty box cannot weigh less than nothing")
	}
	return s.repo.SavePackagePreset(ctx, p)
}

// DeletePackagePreset removes a box.
func (s *Station) DeletePackagePreset(ctx context.Context, id int64) error {
	return s.repo.DeletePackagePreset(ctx, id)
}

// applyPreset fills a package from its preset: the box's size, and its
// empty weight added to an item-based weight.
func (s *Station) applyPreset(ctx context.Context, pkg Package, itemsWeight bool) (Package, error) {
	if pkg.PresetID == 0 {
		return pkg, nil
	}
	presets, err := s.repo.PackagePresets(ctx)
	if err != nil {
		return pkg, err
	}
	for _, p := range presets {
		if p.ID != pkg.PresetID {
			continue
		}
		pkg.Dimensions = p.Dimensions
		if itemsWeight && p.Tare.Known() {
			pkg.Weight = Weight{Value: pkg.Weight.Grams() + p.Tare.Grams(), Unit: Gram}
		}
		return pkg, nil
	}
	return pkg, errors.New("that box preset no longer exists: pick another")
}
