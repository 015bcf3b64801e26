package cli

import (
	"errors"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
)

// explanations put the store's errors an operator meets in the operator's
// language, before the detail the store gave (which names paths, URLs and
// the database's own words, as the log has them).
var explanations = []struct {
	err    error
	zh, en string
}{
	{store.ErrNoDatabase, "找不到数据库：--data 所指目录中没有 yizhan.db（首次运行 yizhan serve 时创建，或用 yizhan migrate 新建）",
		"no database: the --data directory holds no yizhan.db (yizhan serve makes it on first start, or yizhan migrate)"},
	{store.ErrNotPostgresURL, "--db 须为 postgres:// 开头的 PostgreSQL 连接地址", "--db must be a postgres:// URL"},
	{store.ErrBackupPostgres, "yizhan backup 只备份内嵌的 SQLite 数据库；PostgreSQL 请用 pg_dump（pg_dump -Fc -f yizhan.dump URL，用 pg_restore 恢复）",
		"yizhan backup copies the embedded SQLite store; for PostgreSQL use pg_dump (pg_dump -Fc -f yizhan.dump URL, restored with pg_restore)"},
	{store.ErrBackupExists, "备份文件已存在（加 --force 覆盖）", "the backup file exists (--force replaces it)"},
	{store.ErrSchemaBehind, "数据库结构比本程序旧：请先运行 yizhan migrate", "the store's schema is older than this yizhan: run yizhan migrate first"},
	{store.ErrConnect, "无法连接数据库：请检查 --db 地址、数据库是否在运行以及用户权限",
		"cannot reach the database: check the --db URL, that the server runs, and the user's rights"},
	{store.ErrOpenFile, "无法打开内嵌数据库文件：请检查 --data 目录是否存在且可读写",
		"cannot open the embedded database file: check that the --data directory exists and is readable and writable"},
}

// explain answers err with the operator's explanation in front when it
// is one the table knows.
func explain(err error) error {
	// The engine's own refusal, as a command returned it, carries a
	// message for people (the API's); wrapped, its wrapper says where.
	if ce, ok := err.(*casework.Error); ok {
		return errors.New(ce.Message)
	}
	for _, x := range explanations {
		if errors.Is(err, x.err) {
			return errorf("%s（%w）", "%s (%w)", msg(x.zh, x.en), err)
		}
	}
	return err
}
