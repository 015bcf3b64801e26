package config

import (
	"fmt"
	"os"
	"strings"
)

// English reports whether the operator asked the command line for English
// with YIZHAN_LANG=en (or en_US, en-GB, en_US.UTF-8…). Anything else, or
// nothing, is Chinese: the people who run a zone's center read Chinese.
//
// The environment is the one place the language is decided. It is read
// where a text is chosen, which costs nothing beside writing the text,
// and lets a test switch it with t.Setenv.
func English() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("YIZHAN_LANG")))
	return v == "en" || v == "english" || strings.HasPrefix(v, "en_") || strings.HasPrefix(v, "en-") || strings.HasPrefix(v, "en.")
}

// Msg answers zh, or en when the operator asked for English. Both stay
// side by side where the text is used, so that a reader sees each.
func Msg(zh, en string) string {
	if English() {
		return en
	}
	return zh
}

// invalid is a setting's error, with the layer's name before it.
func invalid(zh, en string, args ...any) error {
	return fmt.Errorf(Msg("设置有误："+zh, "config: "+en), args...)
}
