// Building DOM from data without ever parsing strings as HTML: every text goes in as a text node.
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A link only for http(s) URLs; anything else is shown as plain text. */
export function safeLink(url: string, text: string): HTMLElement {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    ok = false;
  }
  return ok ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text) : h('span', {}, text);
}
