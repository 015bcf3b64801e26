package api

import (
	"net/url"
	"strconv"

	"github.com/yizhan/yizhan/internal/casework"
)

// refParam reads a query parameter that names a unit (unit_id, grid_id)
// or an enterprise (enterprise_id): nil when absent, 400 when it is not a
// whole number or names nothing in the directory, as a reference in a
// body does, rather than an answer of zeros for a mistyped id.
func (s *Server) refParam(q url.Values, name string) (*int64, error) {
	v := q.Get(name)
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, casework.Invalid("invalid_"+name, "%s 须为整数", name)
	}
	if name == "enterprise_id" {
		if _, ok := s.ents.Load().Get(id); !ok {
			return nil, casework.Invalid("unknown_enterprise", "企业 %d 不存在", id)
		}
		return &id, nil
	}
	if _, ok := s.directory().Unit(id); !ok {
		return nil, casework.Invalid("unknown_unit", "单位 %d 不存在", id)
	}
	return &id, nil
}
