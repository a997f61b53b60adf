// Package recommend ranks the products a guide may offer a customer (推荐商品), each with one reason
// the guide can say out loud: the customer's tags (标签「孕期」), what customers with similar purchases
// bought (买过「A」的顾客常买: item-to-item co-purchase from orders), repurchase cycles of consumables
// (上次购买已 58 天，约到复购期), the categories the customer buys, and what sells in the guide's store,
// with a stock note (本店有货, 本店仅剩 2 件). Nothing out of stock or not carried by the store is
// offered; what the customer bought or was sent in the last 7 days is left out, and so is anything
// the customer bought before unless it is due again. The list is spread over the customer's
// interests: no more than two items of one category until each interest has one.
//
// What is expensive is precomputed by Rebuild, a scheduled job on one replica: each SKU's
// co-purchase neighbours (top 20 by cosine over customers), each store's best sellers over 90 days,
// repurchase cycles (the median days between a customer's purchases of the same SKU, and of the same
// SKU within a category), and buyers per SKU. The index is stored in the database; each replica
// loads it, with the catalogue, when either changes. A request then reads only the customer's recent
// order lines (one index range) and the stock of its best candidates in the store (one query).
//
// It implements sidebar.Recommender. Its port is Store (repo/recommenddb).
package recommend
