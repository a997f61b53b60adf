package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/directorydb"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/directory"
	"github.com/guidebox/guidebox/wecom"
)

// ConsoleConfig is the admin console's roles beyond the corp admins (sidebar.admins): who manages which
// stores. See docs/console.md.
type ConsoleConfig struct {
	// StoreManagers lists "userid:store_id" entries; several stores as "userid:2;3" (or "userid:2,3" in
	// YAML). A department above stores gives every store below it.
	StoreManagers []string `mapstructure:"store_managers"`
	// DepartmentLeaders makes the leaders WeCom names for a store's department (department/list's
	// department_leader) its managers.
	DepartmentLeaders bool `mapstructure:"department_leaders"`
}

var consoleDefaults = map[string]any{"console.store_managers": []string{}, "console.department_leaders": false}

// parseStoreManagers reads console.store_managers into userid → store ids; an entry it cannot read is
// a *ConfigError naming it.
func parseStoreManagers(entries []string) (map[string][]int64, []error) {
	out, errs := map[string][]int64{}, []error(nil)
	for i, e := range entries {
		key := fmt.Sprintf("console.store_managers[%d]", i)
		user, list, ok := strings.Cut(strings.TrimSpace(e), ":")
		if !ok || user == "" || len(user) > 64 || strings.ContainsAny(user, " \t,;") {
			errs = append(errs, &ConfigError{Key: key, Reason: fmt.Sprintf("%q must be userid:store_id, e.g. wangfang:2 or wangfang:2;3", e)})
			continue
		}
		ids := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == ' ' })
		if len(ids) == 0 {
			errs = append(errs, &ConfigError{Key: key, Reason: fmt.Sprintf("%q names no store", e)})
			continue
		}
		for _, s := range ids {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				errs = append(errs, &ConfigError{Key: key, Reason: fmt.Sprintf("%q: %q is not a store (department) id", e, s)})
				break
			}
			out[user] = append(out[user], id)
		}
	}
	return out, errs
}

func (c Config) checkConsole(v *checker) {
	_, errs := parseStoreManagers(c.Console.StoreManagers)
	v.errs = append(v.errs, errs...)
}

// consoleServices builds the console's roles (access) and its directory reads.
func (a *app) consoleServices() (*access.Service, *directory.Service, error) {
	managers, errs := parseStoreManagers(a.cfg.Console.StoreManagers)
	if len(errs) > 0 { // Validate refused these already
		return nil, nil, errs[0]
	}
	corp := a.cfg.WeCom.CorpID
	acc, err := access.New(access.Config{Admins: a.cfg.Sidebar.Admins, Managers: managers, DepartmentLeaders: a.cfg.Console.DepartmentLeaders},
		accessdb.New(a.db, corp), wecom.NewLeaders(a.wc))
	if err != nil {
		return nil, nil, err
	}
	return acc, directory.New(directorydb.New(a.db, corp)), nil
}
