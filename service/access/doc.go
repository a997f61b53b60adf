// Package access decides who may use the admin console and over which stores, and reads the audit
// log of what admins did.
//
// Corp admins (sidebar.admins) see every store. Store managers see the stores they manage, from two
// sources: the configured userid → stores list (console.store_managers), and, when enabled
// (console.department_leaders), WeCom's department leadership: the leaders department/list names for
// a store's department (department_leader) manage it. A department above stores (a region) gives its
// leader every store below it. Everyone else is refused.
//
// The admin middleware resolves a Scope (service.Scope) per request and puts it on the context; the
// domains filter their admin queries by it. Its ports are Store (repo/accessdb) and Leaders (the wecom
// adapter, department/list).
package access
