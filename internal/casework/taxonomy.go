package casework

// fallbackClassification is what a case gets when nothing better is
// known: until triage reads the text, every report is other/other.
var fallbackClassification = Classification{Category: "other", Type: "other", Risk: RiskLow}

// Unclassified is the classifier used before triage is wired in.
type Unclassified struct{}

// Classify answers other/other, not a police matter, low risk.
func (Unclassified) Classify(string) Classification { return fallbackClassification }

// contractTypes is the contract's classification: each type under one
// category. Triage's taxonomy file carries the same scheme with its cues
// and may replace it; this copy keeps the engine usable without triage.
var contractTypes = map[string]string{
	"marriage_family": "civil", "neighbor": "civil", "housing_land": "civil", "property_mgmt": "civil",
	"injury": "civil", "traffic": "civil", "medical": "civil", "inheritance": "civil",
	"wage_arrears": "labor", "work_injury": "labor", "labor_contract": "labor",
	"sales_payment": "contract", "loan_debt": "contract", "consumer": "contract", "lease": "contract",
	"construction": "contract", "business": "contract",
	"environment": "other", "school": "other", "land_requisition": "other", "other": "other",
}

// ContractTypes checks types against the contract's table.
type ContractTypes struct{}

// CategoryOf answers the contract category of a type.
func (ContractTypes) CategoryOf(typ string) (string, bool) {
	c, ok := contractTypes[typ]
	return c, ok
}
