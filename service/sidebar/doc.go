// Package sidebar answers the guide sidebar inside the WeCom client: the customer card (tags,
// other followers, owner, handover line, recommendations), the group card, tag edits written to
// WeCom first, product shares, WeCom OAuth sessions and JS-SDK signatures.
//
// A guide sees only customers they follow or followed (read-only once lost) and groups they own or
// belong to. Its ports are Store (repo), ProductStore and OrderSource (the catalogue domain, wired in
// cmd/guidebox), TagMarker, Identity and TicketSource (the wecom adapter), and Recommender.
package sidebar
