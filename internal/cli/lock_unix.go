//go:build unix

package cli

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// lockDataDir takes the embedded store's directory for this server alone:
// two servers on one SQLite file would each keep its own caches and
// duplicate window, and each gather its own duplicates. Maintenance
// commands (backup, audit, migrate) do not take it and may run beside the
// server. The lock goes with the process, however it ends.
func lockDataDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, errorf("无法创建数据目录 %s：%w", "create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, "yizhan.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, errorf("无法在数据目录中建立锁文件 %s：%w", "create lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errorf("数据目录 %s 已由另一个 yizhan serve 使用；同一个内嵌数据库只能由一个服务进程打开（多节点请用 PostgreSQL：--db）",
				"data directory %s is in use by another yizhan serve; one embedded store serves one process (several nodes: PostgreSQL, --db)", dir)
		}
		return nil, errorf("无法锁定数据目录 %s：%w", "lock data directory %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}
