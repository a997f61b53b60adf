package handler

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
)

// apiKeys are the API keys of the machine-to-machine routes (api.keys): the retailer's POS posting
// orders, its BI reading the numbers. Only their SHA-256 is kept, so every key is compared in constant
// time whatever its length, and the time taken says nothing of which key nearly matched; keys are
// never logged.
type apiKeys [][32]byte

func newAPIKeys(keys []string) apiKeys {
	out := make(apiKeys, 0, len(keys))
	for _, k := range keys {
		out = append(out, sha256.Sum256([]byte(k)))
	}
	return out
}

// require answers 401 unless the request carries one of the keys as "Authorization: Bearer KEY".
// Without keys every request is refused.
func (ks apiKeys) require(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		auth := c.GetHeader("Authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			token, ok = strings.CutPrefix(auth, "bearer ")
		}
		given := sha256.Sum256([]byte(strings.TrimSpace(token)))
		match := 0
		for _, k := range ks {
			match |= subtle.ConstantTimeCompare(given[:], k[:])
		}
		if !ok || match != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="guidebox"`)
			fail(c, log, errBadKey)
			return
		}
		c.Next()
	}
}

var errBadKey = fmt.Errorf("missing or wrong API key: %w", service.ErrUnauthenticated)
