package api

import (
	"net/http"
	"strconv"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// createPerson adds a person to the directory (admin).
func (s *Server) createPerson(w http.ResponseWriter, r *http.Request, u account.User) {
	var body routing.NewPerson
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := body.Validate(s.directory()); err != nil {
		s.fail(w, r, err)
		return
	}
	ids, err := s.store.CreatePeople(r.Context(), []routing.NewPerson{body}, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.GetPerson(r.Context(), ids[0])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

type personList struct {
	Items []routing.Person `json:"items"`
}

// listPeople answers the directory's people, of one unit with ?unit_id=.
func (s *Server) listPeople(w http.ResponseWriter, r *http.Request, _ account.User) {
	var unit *int64
	if v := r.URL.Query().Get("unit_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.fail(w, r, casework.Invalid("invalid_unit_id", "unit_id 须为整数"))
			return
		}
		unit = &id
	}
	ps, err := s.store.People(r.Context(), unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, personList{Items: ps})
}

// pathID reads the {id} of a path; a malformed id is as unknown as a
// missing one, so it answers notFound.
func pathID(r *http.Request, notFound error) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound
	}
	return id, nil
}

var errPersonNotFound = casework.NotFound("person_not_found", "人员不存在")

// getPerson answers one person.
func (s *Server) getPerson(w http.ResponseWriter, r *http.Request, _ account.User) {
	id, err := pathID(r, errPersonNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.GetPerson(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

type locationReport struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

// setPersonLocation records where a person is: sent by a responder's own
// phone, or by the center on their behalf.
func (s *Server) setPersonLocation(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := pathID(r, errPersonNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body locationReport
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Lat == nil || body.Lon == nil {
		s.fail(w, r, casework.Invalid("invalid_location", "须同时给出 lat 和 lon"))
		return
	}
	loc := casework.Location{Lat: *body.Lat, Lon: *body.Lon}
	if !loc.Valid() {
		s.fail(w, r, casework.Invalid("invalid_location", "坐标超出 WGS-84 范围"))
		return
	}
	p, err := s.store.GetPerson(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	self := p.UserID != nil && *p.UserID == u.ID
	if !self && u.Role != casework.RoleAdmin && u.Role != casework.RoleDispatcher {
		s.fail(w, r, casework.Forbidden("forbidden", "只能上报本人的位置"))
		return
	}
	if err := s.store.SetPersonLocation(r.Context(), id, loc, s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err = s.store.GetPerson(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

type importAnswer struct {
	Imported int     `json:"imported"`
	IDs      []int64 `json:"ids"`
}

// importPeople imports a CSV or XLSX sheet of people (admin): every row is
// checked first; one bad row imports nothing and the answer lists them all.
func (s *Server) importPeople(w http.ResponseWriter, r *http.Request, u account.User) {
	rows, err := readTable(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, errs := routing.ParsePeople(rows, s.directory())
	if len(errs) > 0 {
		writeRowErrors(w, errs)
		return
	}
	ids, err := s.store.CreatePeople(r.Context(), ps, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, importAnswer{Imported: len(ids), IDs: ids})
}

// exportPeople answers the people as CSV or XLSX, in the import's layout.
func (s *Server) exportPeople(w http.ResponseWriter, r *http.Request, _ account.User) {
	ps, err := s.store.People(r.Context(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeTable(w, r, "people", routing.PeopleRows(ps, s.directory()))
}
