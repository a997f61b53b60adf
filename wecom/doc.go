// Package wecom is the only part of guidebox that speaks to WeCom (企业微信). It has two layers:
//
//   - the client (client*.go, jsapi.go, errors.go): WeCom's server API over PowerWeChat v3.4.28
//     (HTTP plumbing) behind typed, context-first methods that return small wecom-owned structs and
//     turn every non-zero errcode into *APIError. The access token and the JS-SDK tickets are
//     fetched once per expiry for every replica (shared.go, in Redis when configured), and every
//     call spends from its API's budget for WeCom's limits, by the lane of its context
//     (quota*.go): it knows of guidebox only the lanes and Budget of the root service package.
//   - the adapters (adapter*.go): they implement the ports the service domains declare
//     (graph.Directory, handover.TransferAPI, sidebar.Identity, sidebar.TagMarker, sidebar.TicketSource)
//     over the client, translating WeCom's errcodes into service errors.
//
// Callback crypto and event parsing live in wecom/callback; the simulator that stands in for
// WeCom in tests and the offline demo lives in wecom/sim.
package wecom
