package amazon

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// State travels through Amazon and the broker and comes back to the app:
// a nonce the app checks, the loopback port the broker redirects to (0 for
// "paste the URL"), and the S256 challenge of a verifier only the app knows,
// so that a code seen by anyone else cannot be exchanged.
type State struct {
	Nonce     string `json:"n"`
	Port      int    `json:"p"`
	Challenge string `json:"c"`
}

// Encode makes the state parameter.
func (s State) Encode() string {
	raw, _ := json.Marshal(s)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// DecodeState reads a state parameter.
func DecodeState(v string) (State, error) {
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return State{}, errors.New("the state parameter is not Packbench's")
	}
	var s State
	if err := json.Unmarshal(raw, &s); err != nil || s.Nonce == "" || s.Challenge == "" {
		return State{}, errors.New("the state parameter is not Packbench's")
	}
	if s.Port < 0 || s.Port > 65535 {
		return State{}, fmt.Errorf("the state names port %d, which is not a port", s.Port)
	}
	return s, nil
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewVerifier returns a fresh verifier and its S256 challenge (as in PKCE).
func NewVerifier() (verifier, challenge string) {
	verifier = randomString(32)
	return verifier, Challenge(verifier)
}

// Challenge is the S256 challenge of a verifier.
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// VerifierMatches checks a verifier against a challenge in constant time.
func VerifierMatches(verifier, challenge string) bool {
	return subtle.ConstantTimeCompare([]byte(Challenge(verifier)), []byte(challenge)) == 1
}

// ConsentURL is Seller Central's authorization page for the app
// (docs/amazon.md, "Signing in"): version=beta while the app is a draft.
func ConsentURL(sellerCentral, applicationID, state string, draft bool) string {
	q := url.Values{"application_id": {applicationID}, "state": {state}}
	if draft {
		q.Set("version", "beta")
	}
	return sellerCentral + "/apps/authorize/consent?" + q.Encode()
}

// Callback is what comes back from Amazon: the code, the state and the seller.
type Callback struct {
	Code             string
	State            string
	SellingPartnerID string
}

// ParseCallback reads a redirect URL a seller pasted: the loopback URL from
// the browser's address bar, or the broker's or Amazon's redirect.
func ParseCallback(raw string) (Callback, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.RawQuery == "" {
		return Callback{}, errors.New("this is not the address Amazon sent you back to: copy the whole address from the browser's address bar, starting with http")
	}
	q := u.Query()
	c := Callback{Code: q.Get("spapi_oauth_code"), State: q.Get("state"), SellingPartnerID: q.Get("selling_partner_id")}
	if c.Code == "" {
		c.Code = q.Get("code")
	}
	if c.Code == "" || c.State == "" || c.SellingPartnerID == "" {
		return Callback{}, errors.New("the address is incomplete (it needs spapi_oauth_code, state and selling_partner_id): copy the whole address")
	}
	return c, nil
}
