import { act, h, statusLine, uid } from '../dom';

export interface SearchField {
  label: string;
  control: HTMLInputElement | HTMLSelectElement;
  /** Takes the row's spare width (the value being searched for). */
  grow?: boolean;
}

export interface SearchFormOptions {
  /** What the page is for, above the form. */
  intro: string;
  /** Which accounts the search covers for the signed-in person (the scope line under the intro). */
  scope: string;
  /** How to type the value (tied to the inputs with aria-describedby). */
  hint: string;
  /** The fields before Country and Search. */
  fields: SearchField[];
  /** The field that must not be empty, and what to say when it is. */
  required: [HTMLInputElement, string];
  /** Runs the search with the Country field's value: the result cards and the status line's sentence. */
  search: (country: string) => Promise<{ cards: HTMLElement[]; message: string }>;
}

/**
 * The conflict searches' page body (Phone Number Conflict Search, Conflict Search): intro, scope, a form of the
 * given fields + Country + Search, its status line and the result cards. Submitting checks the required field,
 * then searches with the button disabled and the outcome in the status line.
 */
export function searchForm(o: SearchFormOptions): HTMLElement[] {
  const hintId = uid('hint');
  const countryId = uid('country');
  const country = h('input', { id: countryId, maxlength: 2, autocomplete: 'off', class: 'country' });
  const fields: SearchField[] = [...o.fields, { label: 'Country', control: country }];
  for (const f of fields) if (f.control instanceof HTMLInputElement) f.control.setAttribute('aria-describedby', hintId);
  const search = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const status = statusLine();
  const results = h('div', { class: 'results' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('p', { id: hintId, class: 'hint' }, o.hint),
    fields.map((f) => {
      f.control.id ||= uid('field');
      return h('div', { class: f.grow ? 'field grow' : 'field' }, h('label', { for: f.control.id }, f.label), f.control);
    }),
    h('div', { class: 'field' }, search),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const [input, missing] = o.required;
    if (!input.value.trim()) {
      status.error(missing);
      input.focus();
      return;
    }
    void act(search, status, 'Searching…', async () => {
      results.replaceChildren();
      const { cards, message } = await o.search(country.value.trim());
      results.replaceChildren(...cards);
      return message;
    });
  });
  return [h('p', null, o.intro), h('p', { class: 'scope' }, o.scope), form, status.el, results];
}
