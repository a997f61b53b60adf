// Package service is the root of guidebox's domain: what every domain package under it shares.
// It holds the ownership graph's entities (guides, stores, customers, follow edges, groups, tags),
// the entities several domains read (products, orders, shares, recommendations),
// the sentinel errors that handler maps to HTTP statuses, WeCom's typed errcode error and the
// Transactor port. The domains live in sub-packages, one per concern:
//
//   - service/graph: callbacks into the graph (intake, inbox workers, apply, reconcile, retention)
//   - service/handover: handover cases (离职继承, 在职转接): opening, planning, running, polling
//   - service/sidebar: the guide sidebar (customer and group cards, tags, remarks, shares, sessions, JS-SDK)
//   - service/tasks: tasks (导购任务), one WeCom 企业群发 per guide, completion and reminders
//   - service/catalog: products with stock per store, their imports and export, and orders
//   - service/workbench: the guide's workbench (follow-ups, the sidebar home, profile fields, quick
//     replies and materials, sends, channel names)
//   - service/jobs: periodic jobs run on one replica at a time
//   - service/access and service/directory: the console's roles and scope, and its reads by name
//
// A domain imports this root and nothing of its siblings: what it needs from another domain it
// declares as a port (an interface) and cmd/guidebox wires the two together. Nothing under service
// imports gin, gorm, viper, PowerWeChat, or guidebox's handler, repo or wecom packages
// (service/imports_test.go checks it). docs/architecture.md is the map.
package service
