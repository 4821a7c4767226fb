// Package amazon will hold the Selling Partner API client: Login with Amazon
// (through the auth broker, or the seller's own app), per-operation rate
// limits, orders, reports and Shipping API v2. Not built yet: see the
// README's status section. Its simulator lives in integrations/amazon/sim.
package amazon
