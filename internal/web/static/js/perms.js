// What an account's role may do: the console's copy of
// casework.Authorize, so that a page shows only the buttons that work.
// The API decides in the end; a refusal is shown as its message.

const CENTER_ONLY = new Set(["dispatch", "merge", "unmerge", "dismiss_duplicates", "reclassify", "reopen"]);
const LEADER = new Set(["supervise", "note", "escalate", "approve_extension", "refuse_extension"]);
const APPROVALS = new Set(["approve_extension", "refuse_extension"]);

/** mayTake reports whether the role may take the action at all. */
export function mayTake(role, action) {
  switch (role) {
    case "admin":
    case "dispatcher":
      return true;
    case "leader":
      return LEADER.has(action);
  }
  if (action === "supervise" || APPROVALS.has(action)) return false;
  return !CENTER_ONLY.has(action);
}

/** readsStats reports whether the role may see the zone's figures. */
export function readsStats(role) {
  return role === "admin" || role === "leader" || role === "dispatcher";
}

/** receives reports whether the role takes reports in (受理) on the desk. */
export function receives(role) {
  return role !== "leader";
}

/**
 * actionsFor lists the case's allowed_actions this account may take and
 * that make sense now: resume only while paused, pause only while not,
 * approval only with an extension pending, dismissal only with candidates.
 */
export function actionsFor(c, role) {
  const pending = (c.deadlines || []).some((d) => d.extension_pending);
  return (c.allowed_actions || []).filter((a) => {
    if (!mayTake(role, a)) return false;
    if (a === "pause") return !c.paused;
    if (a === "resume") return !!c.paused;
    if (APPROVALS.has(a)) return pending;
    if (a === "dismiss_duplicates") return (c.duplicate_candidates || []).length > 0;
    return true;
  });
}
