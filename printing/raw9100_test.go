package printing

import (
	"context"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
)

func TestRaw9100SendsZPLByteForByte(t *testing.T) {
	addr, got := printertest.Zebra(t)
	zpl := []byte("^XA^CI28^FO50,50^A0N,40,40^FDZoë Ångström^FS^BCN,100^FD>:9400111899560000000042^FS^XZ")
	require.NoError(t, Raw9100{Addr: addr}.Print(context.Background(), Document{Name: "l", Format: ZPL, Data: zpl}))
	select {
	case b := <-got:
		assert.Equal(t, zpl, b, "the printer receives exactly the label")
	case <-time.After(5 * time.Second):
		t.Fatal("nothing arrived")
	}
}

func TestRaw9100SaysWhatIsWrong(t *testing.T) {
	// Nothing listens on this port: offline.
	addr := printertest.OfflineAddr(t)
	err := Raw9100{Addr: addr, Timeout: time.Second}.Print(context.Background(), Document{Format: ZPL, Data: []byte("^XA^XZ")})
	assert.ErrorIs(t, err, ErrPrinterOffline)

	err = Raw9100{Addr: "127.0.0.1:1"}.Print(context.Background(), Document{Format: PDF, Data: []byte("%PDF")})
	assert.ErrorContains(t, err, "takes ZPL")

	// A printer that stops reading: the write times out instead of hanging the bench.
	client, server := net.Pipe()
	defer server.Close()
	p := Raw9100{Addr: "printer", Timeout: 100 * time.Millisecond,
		Dial: func(context.Context, string) (net.Conn, error) { return client, nil }}
	err = p.Print(context.Background(), Document{Format: ZPL, Data: []byte("^XA^XZ")})
	assert.ErrorContains(t, err, "stopped taking the label")
	assert.Equal(t, "printer:9100", Raw9100{Addr: "printer"}.addr(), "the port defaults to 9100")
}

func TestSanitizeZPLRemovesPrinterStateCommands(t *testing.T) {
	in := []byte("^XA^MMP^MTD~SD25^PR4,4^LH0,0^PW812^FO10,10^FDHello ^MM inside? no^FS~JS^JUS^XZ")
	clean, removed := SanitizeZPL(in)
	assert.Equal(t, "^XA^LH0,0^PW812^FO10,10^FDHello ^FS^XZ", string(clean))
	assert.Equal(t, []string{"^MMP", "^MTD", "~SD25", "^PR4,4", "^MM inside? no", "~JS", "^JUS"}, removed)
	same, none := SanitizeZPL([]byte("^XA^FO0,0^FDplain^FS^XZ"))
	assert.Equal(t, "^XA^FO0,0^FDplain^FS^XZ", string(same))
	assert.Empty(t, none)
}

func FuzzSanitizeZPL(f *testing.F) {
	f.Add([]byte("^XA^MMT^FDx^FS^XZ"))
	f.Add([]byte("~SD30^XA^PR2^XZ"))
	f.Fuzz(func(t *testing.T, in []byte) {
		clean, _ := SanitizeZPL(in)
		if len(clean) > len(in) {
			t.Fatal("sanitizing never adds bytes")
		}
		if again, removed := SanitizeZPL(clean); len(removed) != 0 || string(again) != string(clean) {
			t.Fatalf("not idempotent: %q -> %q", clean, again)
		}
	})
}

func TestTestLabelFitsTheDPI(t *testing.T) {
	for _, dpi := range []int{203, 300} {
		zpl := string(TestLabel(dpi))
		assert.Contains(t, zpl, "^PW"+itoa(4*dpi))
		assert.Contains(t, zpl, "^LL"+itoa(6*dpi))
		assert.Contains(t, zpl, "Made for "+itoa(dpi)+" dpi")
		clean, removed := SanitizeZPL([]byte(zpl))
		assert.Empty(t, removed, "the test label changes no printer setting")
		assert.Equal(t, zpl, string(clean))
	}
}

func itoa(n int) string { return fmt.Sprint(n) }

func TestRaw9100StatusReadsTheHostStatus(t *testing.T) {
	answer := func(reply string) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { ln.Close() })
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			b := make([]byte, 3)
			if _, err := io.ReadFull(c, b); err == nil && string(b) == "~HS" && reply != "" {
				c.Write([]byte(reply))
			}
			time.Sleep(3 * time.Second)
		}()
		return ln.Addr().String()
	}
	ready := "\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02000,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"
	st, err := Raw9100{Addr: answer(ready)}.Status(context.Background())
	require.NoError(t, err)
	assert.True(t, st.Answered)
	assert.Empty(t, st.Problems)

	trouble := "\x02030,1,1,1245,000,0,0,0,000,0,0,0\x03\r\n\x02000,0,1,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"
	st, err = Raw9100{Addr: answer(trouble)}.Status(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"out of paper", "paused", "head open"}, st.Problems)

	st, err = Raw9100{Addr: answer(""), Timeout: 300 * time.Millisecond}.Status(context.Background())
	require.NoError(t, err, "a printer that says nothing is not an error")
	assert.False(t, st.Answered)
}
