package api_test

import (
	"net/http"
	"testing"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestCORSForListedOrigins: a dashboard on a listed site may call the API
// from its browsers (the preflight is answered, the answer is readable);
// any other site gets nothing that would let its browser read the answer.
func TestCORSForListedOrigins(t *testing.T) {
	t.Parallel()
	const dash = "https://dashboard.example.gov.cn"
	z := newZoneOn(t, storetest.SQLite(t), false, func(d *api.Deps) { d.CORSOrigins = []string{dash} })
	pre := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, z.srv.URL+"/api/v1/cases", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type, idempotency-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	ok := pre(dash)
	if ok.StatusCode != 204 || ok.Header.Get("Access-Control-Allow-Origin") != dash || ok.Header.Get("Access-Control-Allow-Headers") == "" {
		t.Fatalf("preflight from the dashboard: %d %v", ok.StatusCode, ok.Header)
	}
	if other := pre("https://evil.example.com"); other.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("another site was allowed: %v", other.Header)
	}
	got := z.call("GET", "/api/v1/cases", "leader", nil, "Origin", dash).expect(t, 200)
	if got.header.Get("Access-Control-Allow-Origin") != dash || got.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("answer to the dashboard: %v", got.header)
	}
	// Without the setting, nothing is added.
	plain := newZone(t).call("GET", "/api/v1/cases", "leader", nil, "Origin", dash).expect(t, 200)
	if plain.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS without --cors-origins: %v", plain.header)
	}
}
