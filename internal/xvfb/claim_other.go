//go:build !unix

package xvfb

import "os"

// claimDisplay: Xvfb runs on Unix only; elsewhere there is nothing to claim.
func claimDisplay(int) (*os.File, bool) { return nil, true }
