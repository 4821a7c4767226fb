package amazon_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/contract"
)

func TestDefaultPlansAreAmazonsDocumentedOnes(t *testing.T) {
	v, err := contract.Load()
	require.NoError(t, err)
	models := v.UsagePlans()
	for op, p := range amazon.DefaultPlans {
		m, ok := models[op]
		require.True(t, ok, op)
		assert.Equal(t, m.Rate, p.Rate, op)
		assert.Equal(t, m.Burst, p.Burst, op)
	}
}
