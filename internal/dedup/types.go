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
