package store

import "github.com/yizhan/yizhan/internal/casework"

// CursorAfter is the cursor of a list page that ends with c: a list that
// filters further than SQL can (the problem list's overdue items) pages
// on from the last case it showed.
func CursorAfter(c casework.Case) string {
	return encodeCursor(micros(c.CreatedAt), c.ID)
}
