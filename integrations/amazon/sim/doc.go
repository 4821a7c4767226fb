// Package sim is Packbench's Amazon: an http.Handler that serves, on
// loopback, what Packbench needs from Amazon, faithfully enough that code
// which passes against it would pass against Amazon. Every response is
// checked against Amazon's published models in this package's tests
// (integrations/amazon/contract), and so are the requests the tests send.
//
// It serves:
//   - Seller Central's consent page (GET /apps/authorize/consent, with a
//     Confirm button) and Login with Amazon (POST /auth/o2/token:
//     authorization_code and refresh_token grants; codes live 5 minutes and
//     work once; access tokens live an hour).
//   - Orders API 2026-01-01 searchOrders and getOrder with includedData, and
//     Orders v0 confirmShipment.
//   - Reports API 2021-06-30 for the Unshipped Orders report
//     (GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING): tab-separated, gzip,
//     behind a restricted data token, at a URL that expires in 5 minutes.
//   - Tokens API createRestrictedDataToken, Sellers API
//     getMarketplaceParticipations, Catalog Items 2022-04-01 getCatalogItem.
//   - Shipping API v2 getRates, purchaseShipment (x-amzn-IdempotencyKey:
//     a replay returns the first shipment; TOKEN_EXPIRED after 10 minutes),
//     getShipmentDocuments, cancelShipment and getTracking, with real ZPL,
//     PNG and PDF labels that carry the tracking barcode.
//
// Rate limits are Amazon's documented usage plans, read from the models,
// as token buckets per (seller, operation): 429 with Amazon's error body
// when empty, x-amzn-RateLimit-Limit on answers.
//
// Time: Config.TimeScale runs simulated time faster than real time; bucket
// refills and every lifetime (codes, tokens, rates, report processing,
// tracking) follow simulated time, while what the simulator reports to a
// client (expires_in, x-amzn-RateLimit-Limit) is in real seconds, so an
// unmodified client behaves at scale as it would at Amazon.
//
// Faults (Sim.SetFault): 5xx answers, latency, dropped connections,
// malformed JSON, FATAL or CANCELLED reports, per operation; revoked
// refresh tokens (Sim.Revoke); buyers cancelling (Sim.CancelOrder).
//
// The admin API lives under /_sim/ and is listed on adminRoutes; each
// endpoint has a Go method of the same meaning for tests in-process.
package sim
