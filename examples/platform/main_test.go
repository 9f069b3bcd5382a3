package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlatformRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out))
	got := regexp.MustCompile(`[0-9a-f]{32}|127\.0\.0\.1:\d+`).ReplaceAllString(out.String(), "X")
	team := regexp.MustCompile(`\(([a-z0-9]{8})\): created`).FindStringSubmatch(got)
	require.Len(t, team, 2, got)
	got = strings.ReplaceAll(got, team[1], "X")
	assert.Equal(t, `RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at http://X.

token of admin, enterprise X, console v6.9.8-release
created user newcomer (id 2)
team "Newcomer's team" (X): created [region:rainbond]
team "Newcomer's team" (X): unchanged
newcomer owns team X (the console records owner "2")
installed X 6.4 into app 3
team X in rainbond: 1 apps, 2 components, memory 2048 of 65536 MiB (3.1%), CPU 2000m of 16000m
stopped and deleted the apps of every team newcomer owns
deleted team X and user newcomer
`, got)
}

func TestPlatformRefusesAShortPasswordBeforeSendingIt(t *testing.T) {
	t.Parallel()
	env := map[string]string{"RAINBOND_URL": "http://127.0.0.1:9", "RAINBOND_TOKEN": "0123456789abcdef", "RAINBOND_USER_PASSWORD": "short"}
	var out strings.Builder
	err := run(context.Background(), []string{"-timeout", "2s"}, func(k string) string { return env[k] }, &out)
	require.Error(t, err)
	assert.NotContains(t, err.Error()+out.String(), "short", "the password never shows")
}
