// Package contract checks HTTP requests and responses against Amazon's
// published Selling Partner API models (Swagger 2.0, embedded verbatim in
// models/ with their licence README). Both the simulator's tests and the
// client's tests run every exchange through it, so the two can only agree
// with each other by agreeing with Amazon.
//
// Validation uses github.com/getkin/kin-openapi: each Swagger 2.0 model is
// converted to OpenAPI 3 once, and a router per model finds the operation.
package contract

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed models/*.json
var modelFiles embed.FS

// Validator knows every embedded model.
type Validator struct {
	models []model
}

type model struct {
	file   string
	doc    *openapi3.T
	router routers.Router
}

// ErrNoOperation means no model documents the request's method and path.
var ErrNoOperation = errors.New("no Amazon model documents this method and path")

var (
	loadOnce sync.Once
	loaded   *Validator
	loadErr  error
)

// Load parses the embedded models once per process; later calls share it.
func Load() (*Validator, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

func load() (*Validator, error) {
	names, err := fs.Glob(modelFiles, "models/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	v := &Validator{}
	for _, name := range names {
		raw, err := modelFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var doc2 openapi2.T
		if err := doc2.UnmarshalJSON(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		doc3, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return nil, fmt.Errorf("%s: convert to OpenAPI 3: %w", name, err)
		}
		csvArrays(&doc2, doc3)
		// Serve any host: the simulator listens on loopback, not on Amazon's hosts.
		doc3.Servers = openapi3.Servers{{URL: "/"}}
		router, err := gorillamux.NewRouter(doc3)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		v.models = append(v.models, model{file: strings.TrimPrefix(name, "models/"), doc: doc3, router: router})
	}
	return v, nil
}

// Operation names the model and operation that document a request.
type Operation struct {
	Model       string // file name, e.g. "shippingV2.json"
	OperationID string // e.g. "getRates"
}

func (v *Validator) find(r *http.Request) (*model, *routers.Route, map[string]string, error) {
	for i := range v.models {
		route, params, err := v.models[i].router.FindRoute(r)
		if err == nil {
			return &v.models[i], route, params, nil
		}
	}
	return nil, nil, nil, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, ErrNoOperation)
}

// Find returns the operation a request is for.
func (v *Validator) Find(r *http.Request) (Operation, error) {
	m, route, _, err := v.find(r)
	if err != nil {
		return Operation{}, err
	}
	return Operation{Model: m.file, OperationID: route.Operation.OperationID}, nil
}

var options = &openapi3filter.Options{
	MultiError:            true,
	IncludeResponseStatus: true,
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
}

// ValidateRequest checks method, path, parameters, headers and body. body is
// the request body (r.Body is not read).
func (v *Validator) ValidateRequest(r *http.Request, body []byte) (Operation, error) {
	m, route, params, err := v.find(r)
	if err != nil {
		return Operation{}, err
	}
	op := Operation{Model: m.file, OperationID: route.Operation.OperationID}
	in := requestInput(r, body, route, params)
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return op, fmt.Errorf("%s %s request: %w", m.file, op.OperationID, err)
	}
	return op, nil
}

// ValidateResponse checks a response to r against the operation's documented
// status codes, headers and schemas.
func (v *Validator) ValidateResponse(r *http.Request, reqBody []byte, status int, header http.Header, body []byte) (Operation, error) {
	m, route, params, err := v.find(r)
	if err != nil {
		return Operation{}, err
	}
	op := Operation{Model: m.file, OperationID: route.Operation.OperationID}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: requestInput(r, reqBody, route, params),
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                options,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return op, fmt.Errorf("%s %s response %d: %w", m.file, op.OperationID, status, err)
	}
	return op, nil
}

func requestInput(r *http.Request, body []byte, route *routers.Route, params map[string]string) *openapi3filter.RequestValidationInput {
	clone := r.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	return &openapi3filter.RequestValidationInput{Request: clone, PathParams: params, Route: route, Options: options}
}

// csvArrays restores Swagger 2.0's default for array query parameters:
// collectionFormat csv (a=1,2), which the conversion to OpenAPI 3 drops in
// favour of OpenAPI 3's exploded default (a=1&a=2). Amazon's APIs take csv.
func csvArrays(doc2 *openapi2.T, doc3 *openapi3.T) {
	for path, item2 := range doc2.Paths {
		item3 := doc3.Paths.Value(path)
		if item3 == nil {
			continue
		}
		for method, op2 := range item2.Operations() {
			op3 := item3.GetOperation(method)
			if op3 == nil {
				continue
			}
			for _, p2 := range append(append(openapi2.Parameters{}, item2.Parameters...), op2.Parameters...) {
				if p2 == nil || p2.In != "query" || p2.Type == nil || !p2.Type.Is("array") {
					continue
				}
				explode := p2.CollectionFormat == "multi"
				for _, ref := range append(append(openapi3.Parameters{}, item3.Parameters...), op3.Parameters...) {
					if ref != nil && ref.Value != nil && ref.Value.In == "query" && ref.Value.Name == p2.Name {
						ref.Value.Style = openapi3.SerializationForm
						ref.Value.Explode = &explode
					}
				}
			}
		}
	}
}
