package contract

import (
	"regexp"
	"strconv"
)

// UsagePlan is an operation's documented default rate (requests per second)
// and burst, read from the "Usage Plan" table in the model's description.
type UsagePlan struct {
	Rate  float64
	Burst int
}

var usagePlanRow = regexp.MustCompile(`(?s)Usage Plan:.*?\|\s*-+\s*\|\s*-+\s*\|\s*\n?\s*\|\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|`)

// UsagePlans maps operationId to its documented usage plan, for every
// operation of every embedded model whose description has the table.
func (v *Validator) UsagePlans() map[string]UsagePlan {
	out := map[string]UsagePlan{}
	for _, m := range v.models {
		for _, item := range m.doc.Paths.Map() {
			for _, op := range item.Operations() {
				match := usagePlanRow.FindStringSubmatch(op.Description)
				if match == nil {
					continue
				}
				rate, err1 := strconv.ParseFloat(match[1], 64)
				burst, err2 := strconv.Atoi(match[2])
				if err1 == nil && err2 == nil {
					out[op.OperationID] = UsagePlan{Rate: rate, Burst: burst}
				}
			}
		}
	}
	return out
}
