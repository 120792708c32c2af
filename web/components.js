// Building blocks shared by the pages: dialogs, messages, form fields, list paging and sorting.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';

import { api, queryString } from './api.js';

let nextId = 0;
/** Returns an id that stays the same for the life of a component, for label and aria links. */
export function useId(prefix) {
  const ref = useRef(null);
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

/** Renders a modal dialog. Escape or the close button calls onClose, and focus stays inside while it is open. */
export function Dialog({ title, onClose, children, wide = false }) {
  const ref = useRef(null);
  const titleId = useId('dialog-title');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog.open) dialog.showModal();
    // Start in the first field (or the autofocus button) rather than on the close button.
    dialog.querySelector('.dialog-body [autofocus], .dialog-body input, .dialog-body select, .dialog-body textarea')?.focus();
    return () => dialog.open && dialog.close();
  }, []);

  const cancel = (event) => {
    event.preventDefault();
    onClose();
  };

  return html`<dialog ref=${ref} class=${wide ? 'wide' : ''} aria-labelledby=${titleId} onCancel=${cancel}>
    <header class="dialog-header">
      <h2 id=${titleId}>${title}</h2>
      <button type="button" class="icon" aria-label="Close" onClick=${onClose}>×</button>
    </header>
    <div class="dialog-body">${children}</div>
  </dialog>`;
}

/** Asks a yes/no question such as "Confirm Delete?"; Confirm runs onConfirm. */
export function ConfirmDialog({ title, message, onConfirm, onCancel, busy = false, error = null }) {
  return html`<${Dialog} title=${title} onClose=${onCancel}>
    <p class="confirm-message">${message}</p>
    <${ErrorMessage} error=${error} />
    <div class="actions">
      <button type="button" class="primary" autofocus disabled=${busy} onClick=${onConfirm}>Confirm</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  <//>`;
}

/** Shows an API error with its message; a version conflict also offers a reload. */
export function ErrorMessage({ error, onReload }) {
  if (!error) return null;
  const conflict = error.code === 'version_conflict';
  return html`<div class="error" role="alert">
    <strong>${conflict ? 'Conflict: ' : 'Error: '}</strong>${error.message}
    ${conflict && onReload ? html` <button type="button" onClick=${onReload}>Reload</button>` : null}
  </div>`;
}

/** Shows a short success message that screen readers announce. */
export function Notice({ text }) {
  return text ? html`<div class="notice" role="status">${text}</div>` : null;
}

/**
 * Renders form inputs from field definitions `{ name, label, type, required, options, hint }`.
 * `errors` maps a field name to the API's message, shown under the field.
 */
export function FormFields({ fields, values, errors, onChange, idPrefix }) {
  return fields.map((field) => {
    const id = `${idPrefix}-${field.name}`;
    const errorId = `${id}-error`;
    const error = errors[field.name];
    const common = { id, name: field.name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': error ? errorId : undefined };
    const label = html`<label for=${id}>${field.label}${field.required ? html`<span class="required" aria-hidden="true"> *</span>` : null}</label>`;
    const message = error ? html`<div class="field-error" id=${errorId}>${error}</div>` : null;

    if (field.type === 'checkbox') {
      return html`<div class="field checkbox" key=${field.name}>
        <input type="checkbox" ...${common} checked=${Boolean(values[field.name])} onChange=${(event) => onChange(field.name, event.currentTarget.checked)} />
        ${label}${message}
      </div>`;
    }

    const input =
      field.type === 'select'
        ? html`<select ...${common} required=${field.required} value=${values[field.name] ?? ''} onChange=${(event) => onChange(field.name, event.currentTarget.value)}>
            ${field.required ? html`<option value="">Choose…</option>` : html`<option value="">(none)</option>`}
            ${field.options.map((option) => html`<option value=${option.value}>${option.label}</option>`)}
          </select>`
        : field.type === 'textarea'
          ? html`<textarea ...${common} rows="4" value=${values[field.name] ?? ''} onInput=${(event) => onChange(field.name, event.currentTarget.value)}></textarea>`
          : html`<input
              type=${field.type ?? 'text'}
              ...${common}
              required=${field.required}
              autocomplete=${field.type === 'password' ? 'new-password' : 'off'}
              inputmode=${field.inputMode}
              value=${values[field.name] ?? ''}
              placeholder=${field.placeholder ?? ''}
              onInput=${(event) => onChange(field.name, event.currentTarget.value)}
            />`;
    return html`<div class="field" key=${field.name}>${label}${input}${field.hint ? html`<div class="hint">${field.hint}</div>` : null}${message}</div>`;
  });
}

/**
 * Loads one page of a list endpoint (`{ items, total }`) and reloads whenever the query
 * changes. Returns the state and a function that loads the same page again.
 */
export function useList(path, query) {
  const [state, setState] = useState({ items: [], total: 0, loading: true, error: null });
  const [reloadCount, setReloadCount] = useState(0);
  const search = queryString(query);

  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    api('GET', `${path}?${search}`).then(
      (body) => current && setState({ items: body.items, total: body.total, loading: false, error: null }),
      (error) => current && setState({ items: [], total: 0, loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [path, search, reloadCount]);

  return [state, () => setReloadCount((count) => count + 1)];
}

/** Renders a column header that sorts the list. A second click reverses the order. */
export function SortHeader({ column, label, sort, onSort }) {
  const active = sort.column === column;
  const ascending = sort.order === 'asc';
  let ariaSort = 'none';
  let arrow = '';
  if (active) {
    ariaSort = ascending ? 'ascending' : 'descending';
    arrow = ascending ? ' ▲' : ' ▼';
  }
  const next = active && ascending ? 'desc' : 'asc';
  return html`<th aria-sort=${ariaSort}>
    <button type="button" class="sort" onClick=${() => onSort({ column, order: next })}>
      ${label}<span aria-hidden="true">${arrow}</span>
    </button>
  </th>`;
}

export const pageSizes = [10, 20, 50, 100];

/** Page navigation below a list: previous, next, page size and the total count. */
export function Pager({ page, pageSize, total, onPage, onPageSize }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const id = useId('page-size');
  return html`<nav class="pager" aria-label="Pages">
    <span>${total} in total</span>
    <button type="button" disabled=${page <= 1} onClick=${() => onPage(page - 1)}>Previous</button>
    <span>Page ${page} of ${pages}</span>
    <button type="button" disabled=${page >= pages} onClick=${() => onPage(page + 1)}>Next</button>
    <label for=${id}>Per page</label>
    <select id=${id} value=${pageSize} onChange=${(event) => onPageSize(Number(event.currentTarget.value))}>
      ${pageSizes.map((size) => html`<option value=${size}>${size}</option>`)}
    </select>
  </nav>`;
}

/** Renders one field of a list page's filter area: a select when options are given, else a search box. */
export function FilterField({ id, label, value, onInput, options }) {
  if (options) {
    return html`<div class="filter-field">
      <label for=${id}>${label}</label>
      <select id=${id} value=${value} onChange=${(event) => onInput(event.currentTarget.value)}>
        <option value="">All</option>
        ${options.map((option) => html`<option value=${option.value}>${option.label}</option>`)}
      </select>
    </div>`;
  }
  return html`<div class="filter-field">
    <label for=${id}>${label}</label>
    <input id=${id} type="search" value=${value} onInput=${(event) => onInput(event.currentTarget.value)} />
  </div>`;
}

/** Formats an ISO timestamp in the browser's locale; `never` when empty. */
export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

/** Turns form values into an API body: empty optional text becomes null, empty numbers are left out. */
export function toBody(fields, values, { omitEmpty = [] } = {}) {
  const body = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'checkbox') {
      body[field.name] = Boolean(value);
    } else if (field.type === 'number' || field.numeric) {
      if (value !== '' && value !== undefined && value !== null) body[field.name] = Number(value);
    } else if (value === '' || value === undefined || value === null) {
      if (omitEmpty.includes(field.name)) continue;
      body[field.name] = field.required ? '' : null;
    } else {
      body[field.name] = value;
    }
  }
  return body;
}
