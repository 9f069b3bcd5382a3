package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// apiCommand reaches any endpoint through client.Do.
func apiCommand() *node {
	return &node{name: "api", args: "METHOD PATH", minArgs: 2, maxArgs: 2, console: true,
		summary: "Calls any endpoint of the console's OpenAPI, with the command's token, retries,\n" +
			"redaction and exit codes. PATH is below /openapi/v1; the answer's JSON is printed\n" +
			"as it came (an empty answer prints nothing).",
		example: `  rainbond api GET /teams --query page=2
  rainbond api PUT /teams/5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b --data '{"tenant_alias": "Shop team"}'
  rainbond api POST /teams/o19p6wen/regions/rainbond/apps/12/operations --data @deploy.json`,
		setup: func(fs *flag.FlagSet, s *session) action {
			data := fs.String("data", "", "the JSON body, or @FILE to read it from a file (@- for stdin); a body that holds a\nsecret goes in @FILE or @-, never in the flag's value (shell history, ps)")
			var query list
			fs.Func("query", "a query parameter, NAME=VALUE (repeatable)", func(v string) error { query = append(query, v); return nil })
			return func(ctx context.Context, args []string) error {
				req, err := s.client.NewRequest(strings.ToUpper(args[0]), args[1], nil)
				if err != nil {
					return err
				}
				if *data != "" {
					body, err := s.readData(ctx, *data)
					if err != nil {
						return err
					}
					req.Body = body
				}
				if len(query) > 0 {
					req.Query = url.Values{}
					for _, q := range query {
						k, v, _ := strings.Cut(q, "=")
						req.Query.Add(k, v)
					}
				}
				var out json.RawMessage
				if _, err := s.client.Do(ctx, req, &out); err != nil {
					return err
				}
				done := fmt.Sprintf("%s %s answered", req.Method, req.Path)
				return emit(s.stdout, s.redact, done, func(w io.Writer) error {
					if len(out) == 0 {
						return nil
					}
					var v any
					if err := json.Unmarshal(out, &v); err != nil {
						return err
					}
					return printJSON(w, v)
				})
			}
		}}
}

// readData reads --data: JSON text, @FILE, or @- for stdin, within ctx.
// It must be JSON: it is sent as it is.
func (s *session) readData(ctx context.Context, arg string) (json.RawMessage, error) {
	b := []byte(arg)
	if path, ok := strings.CutPrefix(arg, "@"); ok {
		var err error
		if b, err = s.readInput(ctx, "data", path, maxInputFile, false); err != nil {
			return nil, err
		}
	}
	if !json.Valid(b) {
		return nil, usagef("--data: not JSON")
	}
	return json.RawMessage(b), nil
}
