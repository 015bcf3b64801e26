// Small helpers to build DOM nodes without innerHTML, so that text from
// reports (which anyone can phone in) is never parsed as markup.

/**
 * h builds an element: h("a", {href: "/", class: "btn"}, "text", child).
 * Attributes starting with "on" become listeners; null/false are skipped;
 * true sets an empty attribute; "dataset" takes an object.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v);
    } else if (k === "dataset") {
      Object.assign(el.dataset, v);
    } else if (k === "class") {
      el.className = v;
    } else if (v === true) {
      el.setAttribute(k, "");
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** clear empties an element and fills it with children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** $ finds one element by id. */
export function $(id) {
  return document.getElementById(id);
}

/** show sets or clears a banner's text and visibility. */
export function banner(el, text) {
  if (!el) return;
  el.textContent = text || "";
  el.hidden = !text;
}

/** options fills a select with [value, label] pairs or optgroups. */
export function options(select, items, selected) {
  fill(select, items.map((it) => {
    if (it.group) {
      return h("optgroup", {label: it.group}, it.items.map(([v, l]) => h("option", {value: v}, l)));
    }
    return h("option", {value: it[0]}, it[1]);
  }));
  if (selected !== undefined) {
    select.value = selected;
    // A form's reset goes back to this choice.
    for (const o of select.options) o.defaultSelected = o.value === selected;
  }
  return select;
}

/** save hands a blob to the browser as a download. */
export function save(b, filename) {
  const url = URL.createObjectURL(b);
  const a = h("a", {href: url, download: filename});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
