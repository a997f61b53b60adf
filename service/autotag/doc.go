// Package autotag gives customers tags from their orders (自动标签): rules an admin defines per corp,
// each naming one corp tag: bought in a category within N days, spent at least Y within N days, no
// purchase for N days, lifecycle stage (新客 / 复购 / 沉睡 / 流失) and mother-and-baby stage (the
// stage tag of the newest purchase of a product carrying one).
//
// Rules are evaluated per customer from the customer's order lines: incrementally when an order of
// the customer arrives (the catalogue's OrderObserver, queued and evaluated in batches) and in a
// nightly pass over every customer with orders, page by page in the order of the customers' lines
// index, in bounded memory. What the rules give each customer is kept in the database and shown on
// the card as the rule's tag. A rule with ToWeCom also writes its tag to WeCom (mark_tag) on the
// edge of the customer's owner: the wishes are recorded as marks and written by PushMarks in the
// background lane of WeCom's budget (the client waits rather than exceed it), each mark once.
//
// Its ports are Store (repo/autotagdb), WeCom (the wecom adapter: mark_tag and add_corp_tag) and
// TagSync (the graph re-reads the corp tags after a tag is created).
package autotag
