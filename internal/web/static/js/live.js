// The live stream of case events (server-sent events). The browser's
// EventSource cannot set headers, so the token travels as ?access_token=.

import {get, session} from "./api.js";

/**
 * connect opens the stream and keeps it open. Handlers:
 * onCase({id, case, event}) for each event, onResync() when messages may
 * have been missed (the server says so, or the stream was broken), and
 * onState("on" | "retry" | "off"). Each message is {id, case, event,
 * sent_at}: the case shaped as GET /api/v1/cases/{id} shapes it, except
 * allowed_actions (null: they depend on the account, read the case).
 * Answers {close}.
 */
export function connect({onCase, onResync, onState}) {
  let es = null;
  let broken = false;
  let timer = 0;
  let closed = false;

  const open = () => {
    const s = session();
    if (!s || closed) return;
    es = new EventSource("/api/v1/events/stream?access_token=" + encodeURIComponent(s.token));
    es.addEventListener("ready", () => {
      onState("on");
      if (broken) {
        broken = false;
        onResync();
      }
    });
    es.addEventListener("case", (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      onCase(msg);
    });
    es.addEventListener("resync", () => onResync());
    // The server is stopping: it reconnects to whichever answers next.
    es.addEventListener("shutdown", () => onState("retry"));
    // The session ended (logged out elsewhere, expired): asking who we are
    // answers 401, which leads to the login page.
    es.addEventListener("expired", () => {
      es.close();
      onState("off");
      get("/api/v1/me").catch(() => {});
    });
    es.onerror = () => {
      broken = true;
      if (es.readyState !== EventSource.CLOSED) {
        onState("retry");
        return;
      }
      // The browser gives up after an HTTP error, such as a 401 once the
      // session has ended: check the token (a 401 leads to the login
      // page), then try again.
      onState("off");
      clearTimeout(timer);
      get("/api/v1/me")
        .then(() => { timer = setTimeout(open, 3000); })
        .catch((err) => {
          if (err.status !== 401) timer = setTimeout(open, 5000);
        });
    };
  };

  const close = () => {
    closed = true;
    clearTimeout(timer);
    if (es) es.close();
  };
  open();
  addEventListener("pagehide", () => {
    clearTimeout(timer);
    if (es) es.close();
  });
  // Back from the browser's page cache: the stream was closed meanwhile.
  addEventListener("pageshow", (e) => {
    if (!e.persisted || closed) return;
    broken = true;
    open();
  });
  return {close};
}
