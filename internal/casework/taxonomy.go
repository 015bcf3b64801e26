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

// Categories are the zone's four statistical categories, in the order the
// zone reports them.
var Categories = []string{"civil", "labor", "contract", "other"}

var categoryLabels = map[string]string{"civil": "民事纠纷", "labor": "劳资纠纷", "contract": "合同纠纷", "other": "其他纠纷"}

// CategoryLabel is a category's Chinese name.
func CategoryLabel(c string) string {
	if l, ok := categoryLabels[c]; ok {
		return l
	}
	return c
}

// ValidCategory reports whether c is one of the four categories.
func ValidCategory(c string) bool { _, ok := categoryLabels[c]; return ok }

var typeLabels = map[string]string{
	"marriage_family": "婚姻家庭", "neighbor": "邻里纠纷", "housing_land": "房屋宅基地及土地", "property_mgmt": "物业纠纷",
	"injury": "损害赔偿", "traffic": "交通事故", "medical": "医疗纠纷", "inheritance": "继承纠纷",
	"wage_arrears": "欠薪讨薪", "work_injury": "工伤赔偿", "labor_contract": "劳动合同及社保",
	"sales_payment": "买卖及货款", "loan_debt": "借贷债务", "consumer": "消费纠纷", "lease": "租赁纠纷",
	"construction": "建设工程款", "business": "合伙经营",
	"environment": "环境污染", "school": "校园纠纷", "land_requisition": "征地拆迁", "other": "其他",
}

// TypeLabel is a type's Chinese name.
func TypeLabel(t string) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return t
}
