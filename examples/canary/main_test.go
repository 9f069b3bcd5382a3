package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanaryRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out))
	got := regexp.MustCompile(`[0-9a-f]{32}|gr[0-9a-f]{6}|127\.0\.0\.1:\d+`).ReplaceAllString(out.String(), "X")
	assert.Equal(t, `RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at http://X.

The library holds shop 1.0; the first smart deploy installs it:
smart deploy of shop into "shop": install 1.0
smart deploy of shop into "shop": skip 1.0

shop 1.1 is published, and its web component fails once it takes traffic:
smart deploy of shop into "shop": an older version runs; the canary releases the newest
http://shop.example.com/ serves web (X)
  at  10%: unhealthy: component web (X) is abnormal
stopped, as it should: rainbond: the canary stopped at step 10%: the gate refused it: component web (X) is abnormal; rolled back: all traffic is on the original version
shop.example.com is served by web, image goodrain.me/shop-web:1.0

shop 1.2 is published; release it:
http://shop.example.com/ serves web (X)
  at  10%: healthy
  at  50%: healthy
  at 100%: healthy
released: web (X) takes all of shop.example.com
shop.example.com is served by web, image goodrain.me/shop-web:1.2

shop 1.3 is published; a canary on the promoted route is refused before it starts:
http://shop.example.com/ serves web (X)
refused: rainbond: the route was named after a component a promotion deleted: canary 2 (completed) named it 3shop.example.comp-ps-s-X; its component now is X
`, got)
}
