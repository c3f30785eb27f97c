package report

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of auditchain.report/v1,
// for tools that consume the report.
func Schema() []byte { return bytes.Clone(schemaJSON) }

// ValidateJSON checks a JSON report against Schema. The error lists every
// violation with its JSON pointer.
func ValidateJSON(data []byte) error {
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return fmt.Errorf("report schema: %w", err)
	}
	const url = "https://github.com/auditchain/auditchain/report/schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return fmt.Errorf("report schema: %w", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return fmt.Errorf("report schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return sch.Validate(inst)
}
