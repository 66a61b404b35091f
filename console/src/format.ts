/** Dates as people read them, in their own locale and time zone; the exact ISO time in the tooltip. */
export function when(iso: string | undefined, never = 'Never'): string | HTMLElement {
  if (!iso) return never;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const el = document.createElement('time');
  el.dateTime = iso;
  el.title = iso;
  el.textContent = d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return el;
}

export const ROLE_LABEL: Record<string, string> = { operator: 'Operator', partner: 'Partner', 'account-admin': 'Account admin' };

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
