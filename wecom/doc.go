// Package wecom is the only part of guidebox that speaks to WeCom (企业微信). It has two layers:
//
//   - the client (client*.go, jsapi.go, errors.go): WeCom's server API over PowerWeChat v3.4.28
//     (token management and renewal, HTTP plumbing) behind typed, context-first methods that return
//     small wecom-owned structs and turn every non-zero errcode into *APIError. It knows nothing of
//     the rest of guidebox.
//   - the adapters (adapter*.go): they implement the ports the service domains declare
//     (graph.Directory, handover.TransferAPI, sidebar.Identity, sidebar.TagMarker, sidebar.TicketSource)
//     over the client, translating WeCom's errcodes into service errors.
//
// Callback crypto and event parsing live in wecom/callback; the simulator that stands in for
// WeCom in tests and the offline demo lives in wecom/sim.
package wecom
