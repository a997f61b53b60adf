package sidebar

import "github.com/guidebox/guidebox/service"

// AddWayName is how a customer was added, in Chinese (service.AddWayName).
func AddWayName(way int) string { return service.AddWayName(way) }
