package main

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRefusesToStartUnsafely(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), []string{"--plain-http-behind-proxy", "--redirect-uri", "https://a.example/amazon/callback"}, getenv, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "PACKBENCH_LWA_CLIENT_ID")

	env["PACKBENCH_LWA_CLIENT_ID"], env["PACKBENCH_LWA_CLIENT_SECRET"] = "id", "secret"
	err = run(context.Background(), []string{"--redirect-uri", "https://a.example/amazon/callback"}, getenv, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--tls-cert", "no TLS and no proxy: refuse")
	err = run(context.Background(), []string{"--plain-http-behind-proxy", "--redirect-uri", "http://a.example/cb"}, getenv, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "https")
	err = run(context.Background(), []string{"--plain-http-behind-proxy"}, getenv, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--redirect-uri")
}

func TestServesBehindAProxyUntilStopped(t *testing.T) {
	env := map[string]string{"PACKBENCH_LWA_CLIENT_ID": "id", "PACKBENCH_LWA_CLIENT_SECRET": "secret"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--plain-http-behind-proxy", "--redirect-uri", "https://a.example/amazon/callback"},
			func(k string) string { return env[k] }, io.Discard, io.Discard)
	}()
	cancel()
	assert.NoError(t, <-done)
}
