package triage

import "time"

// springFestival holds 春节 (the first day of the lunar year) for 2020–2035.
// Wage disputes peak in the weeks before it: migrant workers want their
// year's pay before they travel home. A table is enough for the years the
// platform will run; extend it rather than computing the lunar calendar.
var springFestival = []struct {
	year       int
	month, day int
}{
	{2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22},
	{2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6},
	{2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3}, {2031, 1, 23},
	{2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19}, {2035, 2, 8},
}

// chinaTime is UTC+8 without a time zone database: China has no daylight
// saving time, and triage must not depend on tzdata being present.
var chinaTime = time.FixedZone("CST", 8*3600)

// DaysToSpringFestival returns the whole days from now (in China) to the
// next Spring Festival, 0 on the day itself; ok is false outside the table.
func DaysToSpringFestival(now time.Time) (days int, ok bool) {
	if now.IsZero() {
		return 0, false
	}
	local := now.In(chinaTime)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	for _, sf := range springFestival {
		d := time.Date(sf.year, time.Month(sf.month), sf.day, 0, 0, 0, 0, time.UTC)
		if !d.Before(today) {
			return int(d.Sub(today).Hours() / 24), true
		}
	}
	return 0, false
}
