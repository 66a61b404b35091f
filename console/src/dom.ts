/**
 * The console's whole "framework": build elements from data. Text always goes in as Text nodes (never
 * innerHTML), so nothing the API returns — a userName, an account name — can inject markup.
 */
export type Child = Node | string | number | false | null | undefined | Child[];
type Props = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Replace an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A fresh id for label/aria references. */
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/**
 * A status line announced to screen readers (aria-live). It keeps its height when empty (CSS), so showing a
 * message never moves the page.
 */
export interface StatusLine {
  el: HTMLElement;
  ok(message: string): void;
  /** Neutral news (a count), not the outcome of an action. */
  info(message: string): void;
  error(message: string): void;
  busy(message: string): void;
  clear(): void;
}

export function statusLine(): StatusLine {
  const el = h('p', { class: 'status', 'aria-live': 'polite' });
  const set = (kind: string, message: string) => {
    el.className = `status ${kind}`;
    el.textContent = message;
  };
  return {
    el,
    ok: (m) => set('ok', m),
    info: (m) => set('', m),
    error: (m) => set('error', m),
    busy: (m) => set('busy', m),
    clear: () => set('', ''),
  };
}

/** A <dl> of label/value rows; rows whose value is empty are shown as "—". */
export function details(rows: Array<[string, Child]>): HTMLDListElement {
  return h(
    'dl',
    { class: 'details' },
    rows.map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value === '' || value === undefined || value === null ? '—' : value))),
  );
}

export function button(label: string, onclick: (e: Event) => void, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...props, onclick: onclick as EventListener }, label);
}

/** Run an action with its button disabled and its status line telling what happened. */
export async function act(btn: HTMLButtonElement | null, status: StatusLine, busy: string, run: () => Promise<string | void>): Promise<boolean> {
  if (btn) btn.disabled = true;
  status.busy(busy);
  try {
    const done = await run();
    if (done) status.ok(done);
    else status.clear();
    return true;
  } catch (e) {
    status.error((e as Error).message);
    return false;
  } finally {
    if (btn) btn.disabled = false;
  }
}

/**
 * An address-like value (login ID, email) that may wrap only after `@ . - _ +`: a <wbr> after each, so a narrow
 * column breaks "someone.long@" / "contoso.example", never mid-word. Pair with `td.addr` (no anywhere-breaking).
 */
export function breakable(value: string): Child[] {
  return value.split(/(?<=[@.\-_+])/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}
