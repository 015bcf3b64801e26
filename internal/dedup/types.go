package dedup

import "github.com/yizhan/yizhan/internal/casework"

// typeRel says how the classifications of two reports relate.
type typeRel int

const (
	relUnknown   typeRel = iota // one side is unclassified (other, or empty)
	relSame                     // the same type
	relFamily                   // types that one incident is often filed under
	relDifferent                // two kinds of matter
)

// typeFamilies group the types one incident is filed under by different
// people: a crowd owed money is 欠薪 to one and 工程款 to another; a
// collision is 交通事故 or 损害赔偿. The categories civil and other are too
// wide to be a family by themselves.
var typeFamilies = [][]string{
	{"wage_arrears", "labor_contract", "construction"},
	{"work_injury", "injury", "traffic", "medical"},
	{"neighbor", "property_mgmt", "housing_land", "lease", "environment"},
	{"housing_land", "land_requisition"},
	{"sales_payment", "loan_debt", "business", "construction"},
	{"consumer", "business"},
	{"marriage_family", "inheritance"},
}

var familyOf = func() map[[2]string]bool {
	m := map[[2]string]bool{}
	for _, f := range typeFamilies {
		for _, a := range f {
			for _, b := range f {
				m[[2]string{a, b}] = true
			}
		}
	}
	return m
}()

// relate compares two classifications. "other" is what triage answers when
// it cannot tell, so it is treated as unknown rather than as a type.
func relate(aType, aCat, bType, bCat string) typeRel {
	if aType == "other" {
		aType = ""
	}
	if bType == "other" {
		bType = ""
	}
	switch {
	case aType != "" && bType != "":
		switch {
		case aType == bType:
			return relSame
		case familyOf[[2]string{aType, bType}]:
			return relFamily
		}
		ca, _ := casework.ContractTypes{}.CategoryOf(aType)
		cb, _ := casework.ContractTypes{}.CategoryOf(bType)
		if ca == cb && ca != "civil" && ca != "other" {
			return relFamily
		}
		return relDifferent
	case aType == "" && bType == "" && aCat != "" && bCat != "" && aCat != "other" && bCat != "other":
		if aCat == bCat {
			return relFamily
		}
		return relDifferent
	}
	return relUnknown
}

// typeLabels are the contract's Chinese names of the types.
var typeLabels = map[string]string{
	"marriage_family": "婚姻家庭", "neighbor": "邻里纠纷", "housing_land": "房屋宅基地及土地",
	"property_mgmt": "物业纠纷", "injury": "损害赔偿", "traffic": "交通事故", "medical": "医疗纠纷",
	"inheritance": "继承纠纷", "wage_arrears": "欠薪讨薪", "work_injury": "工伤赔偿",
	"labor_contract": "劳动合同及社保", "sales_payment": "买卖及货款", "loan_debt": "借贷债务",
	"consumer": "消费纠纷", "lease": "租赁纠纷", "construction": "建设工程款", "business": "合伙经营",
	"environment": "环境污染", "school": "校园纠纷", "land_requisition": "征地拆迁", "other": "其他",
}

func typeLabel(t string) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return t
}
