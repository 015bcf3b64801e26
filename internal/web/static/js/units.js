// The directory of units, loaded once per page for names and pickers.

import {get} from "./api.js";
import {UNIT_KIND, label} from "./labels.js";

let loading = null;

/** units answers a Map of unit id to unit. */
export function units() {
  if (!loading) {
    loading = get("/api/v1/units").then((ans) => new Map((ans.items || []).map((u) => [u.id, u])));
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** unitName names a unit, or "单位#id" when it is unknown. */
export function unitName(map, id) {
  if (id === null || id === undefined) return "";
  const u = map && map.get(id);
  return u ? u.name : `单位#${id}`;
}

/**
 * unitOptions lists units for a picker, grouped by kind, in the
 * directory's order, each [id, name].
 */
export function unitOptions(map) {
  const groups = new Map();
  for (const u of map.values()) {
    const g = label(UNIT_KIND, u.kind);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push([String(u.id), u.name]);
  }
  return [...groups].map(([group, items]) => ({group, items}));
}
