package cli

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/store"
)

// MinAdvisedTokenLength is the length under which YIZHAN_ADMIN_TOKEN is
// taken but warned about: the contract accepts any value, and a test rig's
// short token must work, but a zone's should not be guessable.
const MinAdvisedTokenLength = 16

// ensureAdmin makes sure someone can administer the zone. With
// YIZHAN_ADMIN_TOKEN, an admin token of that value exists. Without it, the
// first start of an empty database creates the admin account and prints
// its one-time password once; it must be changed at first login.
func ensureAdmin(ctx context.Context, st *store.Store, token string, log *slog.Logger, now time.Time) error {
	if token != "" {
		if len(token) < MinAdvisedTokenLength {
			log.Warn("YIZHAN_ADMIN_TOKEN 较短，容易被猜中：生产环境请使用至少 16 个字符的随机值", "length", len(token))
		}
		_, err := st.EnsureAdminToken(ctx, token, "YIZHAN_ADMIN_TOKEN", now)
		return err
	}
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := account.NewPassword()
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	admin := store.AdminAccount()
	_, err = st.CreateUser(ctx, admin, hash, true, now)
	if errors.Is(err, store.ErrUsernameTaken) {
		return nil
	}
	if err != nil {
		return err
	}
	log.Warn("首次启动：已创建管理员账号，请用一次性密码登录并立即修改（此密码只显示这一次）",
		"username", admin.Username, "one_time_password", pw, "login", "POST /api/v1/auth/login")
	return nil
}
