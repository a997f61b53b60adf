// Package tasks is 导购任务: HQ or a store manager asks the guides to send something (text, product
// cards, materials, links) to some customers (by tag, store, follow-up stage or a list) by a
// deadline, and follows who did.
//
// WeCom does the sending: a task becomes one 企业群发 per guide (add_msg_template with the guide as
// sender and their customers), which WeCom shows the guide in 群发助手; nothing reaches a customer
// until the guide confirms there. The runner works a task through its phases under a lease on the
// task row (like handover cases): plan (each customer to one guide, the owner, so no customer gets
// it twice; a guide's customers cut into WeCom's 10,000 per call), send (each call recorded before
// it is made and settled after, outside any transaction; a call whose outcome is unknown is looked
// up in get_groupmsg_list_v2 before anything is sent again), track (get_groupmsg_task and
// get_groupmsg_send_result per guide, until each guide has sent; one reminder through
// remind_groupmsg_send to those behind near the deadline), then close (unsent 群发 stopped with
// cancel_groupmsg_send, the guides who never sent counted as missed). A guide completing their part
// is recorded (task_assignments.completed_at) and told to the KPI port.
//
// Ports: Store (repo/tasksdb), MassAPI (the wecom adapter), and optional ports of sibling domains:
// Catalog (products), Materials and Stages (the workbench), Completions (KPI rollups).
package tasks
