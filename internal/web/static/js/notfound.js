// The "not found" page: the header works if someone is logged in.

import {session} from "./api.js";
import {applyTheme, start} from "./shell.js";

applyTheme();
if (session()) {
  start();
} else {
  for (const id of ["logout", "who", "live"]) {
    const el = document.getElementById(id);
    if (el) el.hidden = true;
  }
}
