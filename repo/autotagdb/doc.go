// Package autotagdb implements autotag.Store with gorm: the rules (autotag_rules), the tags they give
// (customer_auto_tags), their WeCom marks (autotag_marks) and the tags they put on edges
// (follow_tags with origin rule), and the reads of customers' order lines the rules evaluate.
package autotagdb
