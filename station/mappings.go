package station

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ServiceMapping is a seller's rule: orders that match ship with this
// carrier service and confirmation. Rules are checked by priority (lowest
// first) when rates are asked for, so they apply to orders imported before
// the rule was written too.
type ServiceMapping struct {
	ID            int64        `json:"id"`
	StoreID       int64        `json:"storeId"`
	Priority      int          `json:"priority"`
	MarketplaceID string       `json:"marketplaceId,omitempty"` // empty: any
	ServiceLevel  string       `json:"serviceLevel,omitempty"`  // Amazon's, e.g. Standard, Expedited; empty: any
	MinGrams      float64      `json:"minGrams,omitempty"`      // 0: no lower bound
	MaxGrams      float64      `json:"maxGrams,omitempty"`      // 0: no upper bound
	SKU           string       `json:"sku,omitempty"`           // any item with this SKU; empty: any
	ServiceID     string       `json:"serviceId"`
	Confirmation  Confirmation `json:"confirmation"`
}

// Matches reports whether the rule applies to an order whose package weighs w.
func (m ServiceMapping) Matches(o Order, w Weight) bool {
	if m.MarketplaceID != "" && m.MarketplaceID != o.MarketplaceID {
		return false
	}
	if m.ServiceLevel != "" && !strings.EqualFold(m.ServiceLevel, o.ServiceLevel) {
		return false
	}
	g := w.Grams()
	if (m.MinGrams > 0 && g < m.MinGrams) || (m.MaxGrams > 0 && g > m.MaxGrams) {
		return false
	}
	if m.SKU != "" {
		for _, it := range o.Items {
			if it.SKU == m.SKU && it.ToShip() > 0 {
				return true
			}
		}
		return false
	}
	return true
}

func (m ServiceMapping) String() string {
	var when []string
	if m.MarketplaceID != "" {
		when = append(when, "marketplace "+MarketplaceLabel(m.MarketplaceID))
	}
	if m.ServiceLevel != "" {
		when = append(when, "service level "+m.ServiceLevel)
	}
	if m.MinGrams > 0 || m.MaxGrams > 0 {
		when = append(when, fmt.Sprintf("weight %g–%g g", m.MinGrams, m.MaxGrams))
	}
	if m.SKU != "" {
		when = append(when, "SKU "+m.SKU)
	}
	if len(when) == 0 {
		when = []string{"every order"}
	}
	return fmt.Sprintf("rule %d (%s) -> %s, confirmation %s", m.ID, strings.Join(when, ", "), m.ServiceID, m.Confirmation)
}

// Mappings stores the rules.
type Mappings interface {
	ServiceMappings(ctx context.Context, storeID int64) ([]ServiceMapping, error)
	SaveServiceMapping(ctx context.Context, m ServiceMapping) (ServiceMapping, error)
	DeleteServiceMapping(ctx context.Context, storeID, id int64) error
}

// ServiceMappings lists a store's rules by priority.
func (s *Station) ServiceMappings(ctx context.Context, storeID int64) ([]ServiceMapping, error) {
	return s.repo.ServiceMappings(ctx, storeID)
}

// SaveServiceMapping checks and saves a rule.
func (s *Station) SaveServiceMapping(ctx context.Context, m ServiceMapping) (ServiceMapping, error) {
	switch {
	case m.ServiceID == "":
		return ServiceMapping{}, errors.New("a rule needs the service to ship with: packbench rates ORDER lists service ids")
	case m.MinGrams < 0 || m.MaxGrams < 0 || (m.MaxGrams > 0 && m.MaxGrams < m.MinGrams):
		return ServiceMapping{}, errors.New("the weight range must go from a lower to a higher number of grams")
	case m.MarketplaceID != "":
		if _, ok := MarketplaceByID(m.MarketplaceID); !ok {
			return ServiceMapping{}, fmt.Errorf("unknown marketplace %q", m.MarketplaceID)
		}
	}
	if m.Confirmation == "" {
		m.Confirmation = ConfirmNone
	}
	if m.Priority == 0 {
		// A new rule without a place goes last: older, narrower rules keep winning.
		rules, err := s.repo.ServiceMappings(ctx, m.StoreID)
		if err != nil {
			return ServiceMapping{}, err
		}
		for _, r := range rules {
			m.Priority = max(m.Priority, r.Priority)
		}
		m.Priority++
	}
	if m.Confirmation != ConfirmNone && m.Confirmation != ConfirmSignature && m.Confirmation != ConfirmAdultSignature {
		return ServiceMapping{}, errors.New("confirmation is none, signature or adult_signature")
	}
	return s.repo.SaveServiceMapping(ctx, m)
}

// DeleteServiceMapping removes a rule.
func (s *Station) DeleteServiceMapping(ctx context.Context, storeID, id int64) error {
	return s.repo.DeleteServiceMapping(ctx, storeID, id)
}

// mappingFor is the first rule that matches, if any.
func mappingFor(rules []ServiceMapping, o Order, w Weight) *ServiceMapping {
	for i := range rules {
		if rules[i].Matches(o, w) {
			return &rules[i]
		}
	}
	return nil
}
