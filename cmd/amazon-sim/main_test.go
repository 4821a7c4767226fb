package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServesUntilStoppedAndPrintsItsURL(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--seed", "7", "--orders", "5", "--time-scale", "60"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	base := strings.TrimSpace(strings.TrimPrefix(line, "amazon-sim listening on "))
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), line)
	go io.Copy(io.Discard, pr)

	resp, err := http.Get(base + "/_sim/time")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(body), `"timeScale":60`)

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("amazon-sim did not stop")
	}
}

func TestBadFlagsSayWhatIsWrong(t *testing.T) {
	err := run(context.Background(), []string{"--time-scale", "0"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--time-scale")
}
