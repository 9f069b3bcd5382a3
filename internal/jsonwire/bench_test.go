package jsonwire

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkComponents decodes an install answer of 200 components of
// testdata/console/install.json (plain integers, strings, nulls,
// booleans), and BenchmarkLooseNumbers the console's loose numbers
// (floats and numeric strings into integer and float fields).
func BenchmarkComponents(b *testing.B) {
	raw, err := os.ReadFile("../../testdata/console/install.json")
	if err != nil {
		b.Fatal(err)
	}
	start := bytes.Index(raw, []byte(`"service_list"`))
	open := bytes.IndexByte(raw[start:], '[') + start
	end := bytes.LastIndexByte(raw, ']')
	items := raw[open+1 : end]
	var doc bytes.Buffer
	doc.WriteString(`{"service_list": [`)
	for i := range 100 {
		if i > 0 {
			doc.WriteByte(',')
		}
		doc.Write(items)
	}
	doc.WriteString(`]}`)
	var out struct {
		ServiceList []component `json:"service_list"`
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		if err := Unmarshal(doc.Bytes(), &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLooseNumbers(b *testing.B) {
	doc := []byte(`[` + string(bytes.Repeat([]byte(`{"min_cpu": 500.0, "used_cpu": "23.4375", "tenant_service_group_id": "118", "port": 8080, "service_id": 12},`), 200)) + `{}]`)
	var out []component
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if err := Unmarshal(doc, &out); err != nil {
			b.Fatal(err)
		}
	}
}
