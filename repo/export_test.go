package repo

// Test hooks: migrations from a folder other than the embedded one (a test-only migration on top of
// the production ones), and the statement splitter the runner before golang-migrate used.
var (
	MigrateFS = migrateFS
	ForceFS   = forceFS
	SplitSQL  = splitSQL
	FSOf      = migrationsFor
)
