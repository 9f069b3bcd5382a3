package rainbond

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any test leaves a goroutine behind: a response
// body not closed, a retry wait not ended, a connection not released.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
