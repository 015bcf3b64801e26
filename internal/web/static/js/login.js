// 登录: trade a username and password for a session token; the first
// administrator must change the one-time password before anything else.

import {post, saveSession, session} from "./api.js";
import {$, banner} from "./dom.js";
import {applyTheme, errorText} from "./shell.js";

applyTheme();

const params = new URLSearchParams(location.search);
const loginForm = $("login-form");
const pwForm = $("password-form");
const errorBox = $("login-error");

/** destination is where to go after logging in: back where the user was. */
function destination(user) {
  const n = params.get("next") || "";
  if (n.startsWith("/") && !n.startsWith("//") && !n.startsWith("/login")) return n;
  return user && user.role === "leader" ? "/dashboard" : "/";
}

function askNewPassword(oldPassword) {
  loginForm.hidden = true;
  pwForm.hidden = false;
  $("old-password").value = oldPassword || "";
  (oldPassword ? $("new-password") : $("old-password")).focus();
}

const current = session();
if (current && (params.has("change") || current.user?.must_change_password)) {
  askNewPassword("");
} else if (current) {
  location.replace(destination(current.user));
}

loginForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  banner(errorBox, "");
  const username = $("username").value.trim();
  const password = $("password").value;
  if (!username || !password) {
    banner(errorBox, "请输入用户名和密码");
    return;
  }
  const btn = loginForm.querySelector("button[type=submit]");
  btn.disabled = true;
  try {
    const ans = await post("/api/v1/auth/login", {username, password}, {anonymous: true});
    saveSession({token: ans.token, expires_at: ans.expires_at, user: ans.user});
    if (ans.must_change_password) {
      askNewPassword(password);
      return;
    }
    location.assign(destination(ans.user));
  } catch (err) {
    banner(errorBox, errorText(err));
    $("password").select();
  } finally {
    btn.disabled = false;
  }
});

pwForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  banner(errorBox, "");
  const oldPassword = $("old-password").value;
  const newPassword = $("new-password").value;
  if (newPassword.length < 8) {
    banner(errorBox, "新密码至少 8 位");
    $("new-password").focus();
    return;
  }
  if (newPassword !== $("new-password2").value) {
    banner(errorBox, "两次输入的新密码不一致");
    $("new-password2").focus();
    return;
  }
  const btn = pwForm.querySelector("button[type=submit]");
  btn.disabled = true;
  try {
    await post("/api/v1/auth/password", {old_password: oldPassword, new_password: newPassword});
    const s = session();
    if (s) {
      s.user = {...s.user, must_change_password: false};
      saveSession(s);
    }
    location.assign(destination(s && s.user));
  } catch (err) {
    banner(errorBox, errorText(err));
  } finally {
    btn.disabled = false;
  }
});
