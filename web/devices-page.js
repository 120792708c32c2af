// Device List: phones by MAC with their model, profile and the accounts on their lines.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

import { api, fieldErrors } from './api.js';
import { ConfirmDialog, Dialog, ErrorMessage, FilterField, FormFields, Notice, Pager, SortHeader, formatTime, useId, useList } from './components.js';

/** Loads the models, profiles and accounts the device form chooses from. */
function useChoices() {
  const [choices, setChoices] = useState({ models: [], profiles: [], accounts: [], error: null });
  useEffect(() => {
    Promise.all([api('GET', '/models'), api('GET', '/profiles?pageSize=500&sort=name'), api('GET', '/accounts?pageSize=500&sort=name')]).then(
      ([models, profiles, accounts]) => setChoices({ models: models.items, profiles: profiles.items, accounts: accounts.items, error: null }),
      (error) => setChoices((previous) => ({ ...previous, error })),
    );
  }, []);
  return choices;
}

function LineBindings({ lineCount, lines, accounts, errors, onChange }) {
  const prefix = useId('line');
  const rows = [];
  for (let line = 1; line <= lineCount; line++) {
    const id = `${prefix}-${line}`;
    rows.push(html`<div class="field" key=${line}>
      <label for=${id}>Line ${line} account</label>
      <select id=${id} value=${lines[line] ?? ''} onChange=${(event) => onChange({ ...lines, [line]: event.currentTarget.value })}>
        <option value="">(none)</option>
        ${accounts.map((account) => html`<option value=${String(account.id)}>${account.name} (${account.sipUserId})</option>`)}
      </select>
    </div>`);
  }
  return html`<fieldset class="lines">
    <legend>Lines</legend>
    ${lineCount === 0 ? html`<p>Choose a model to see its lines.</p>` : rows}
    ${errors.lines ? html`<div class="field-error">${errors.lines}</div>` : null}
  </fieldset>`;
}

function DeviceForm({ device, choices, onSaved, onClose }) {
  const editing = Boolean(device);
  const [values, setValues] = useState(() =>
    device ? { mac: device.mac, model: device.model, profileId: String(device.profileId), description: device.description ?? '' } : { mac: '', model: '', profileId: '', description: '' },
  );
  const [lines, setLines] = useState(() => Object.fromEntries((device?.lines ?? []).map((line) => [line.line, String(line.accountId)])));
  const [error, setError] = useState(null);

  const model = choices.models.find((candidate) => candidate.name === values.model);
  const fields = [
    { name: 'mac', label: 'MAC', required: true, placeholder: '00:1f:c1:10:d3:a9' },
    { name: 'model', label: 'Model', required: true, type: 'select', options: choices.models.map((candidate) => ({ value: candidate.name, label: candidate.name })) },
    { name: 'profileId', label: 'Profile', required: true, type: 'select', options: choices.profiles.map((profile) => ({ value: String(profile.id), label: profile.name })) },
    { name: 'description', label: 'Description', hint: 'For example where the phone sits.' },
  ];

  async function submit(event) {
    event.preventDefault();
    const lineCount = model?.writableLines ?? 0;
    const body = {
      mac: values.mac,
      model: values.model,
      profileId: values.profileId ? Number(values.profileId) : 0,
      description: values.description === '' ? null : values.description,
      lines: Object.entries(lines)
        .filter(([line, accountId]) => accountId !== '' && Number(line) <= lineCount)
        .map(([line, accountId]) => ({ line: Number(line), accountId: Number(accountId) })),
    };
    try {
      const saved = editing ? await api('PATCH', `/devices/${device.id}`, { ...body, version: device.version }) : await api('POST', '/devices', body);
      onSaved(saved, editing ? 'Device saved.' : 'Device added.');
    } catch (caught) {
      setError(caught);
    }
  }

  const errors = fieldErrors(error);
  return html`<${Dialog} title=${editing ? `Edit Device ${device.mac}` : 'Add Device'} onClose=${onClose} wide>
    <form class="form-grid" onSubmit=${submit} noValidate>
      <p class="form-note"><span class="required">*</span> marks a required field.</p>
      <${FormFields} fields=${fields} values=${values} errors=${errors} onChange=${(name, value) => setValues((previous) => ({ ...previous, [name]: value }))} idPrefix="device" />
      <${LineBindings} lineCount=${model?.writableLines ?? 0} lines=${lines} accounts=${choices.accounts} errors=${errors} onChange=${setLines} />
      <${ErrorMessage} error=${error ?? choices.error} />
      <div class="actions">
        <button type="submit" class="primary">Confirm</button>
        <button type="button" onClick=${onClose}>Cancel</button>
      </div>
    </form>
  <//>`;
}

/** Loads one API resource for a device view section; a missing route shows its error message. */
function useResource(path) {
  const [state, setState] = useState({ body: null, error: null });
  useEffect(() => {
    api('GET', path).then((body) => setState({ body, error: null }), (error) => setState({ body: null, error }));
  }, [path]);
  return state;
}

function RequestHistory({ deviceId }) {
  const { body, error } = useResource(`/devices/${deviceId}/requests`);
  const items = body?.items ?? [];
  return html`<section aria-labelledby="history-title">
    <h3 id="history-title">Request history</h3>
    <${ErrorMessage} error=${error} />
    ${body && items.length === 0 ? html`<p class="empty">The phone has not requested a file yet.</p>` : null}
    ${items.length
      ? html`<div class="table-wrap"><table class="list">
          <thead><tr><th scope="col">Time</th><th scope="col">File</th><th scope="col">Status</th><th scope="col">Address</th><th scope="col">User-Agent</th></tr></thead>
          <tbody>${items.map(
            (request, index) => html`<tr key=${index}><td>${formatTime(request.requestedAt ?? request.createdAt ?? request.at)}</td><td class="mono">${request.fileName ?? request.file ?? ''}</td>
              <td>${request.statusCode ?? request.status ?? ''}</td><td>${request.address ?? ''}</td><td>${request.userAgent ?? ''}</td></tr>`,
          )}</tbody>
        </table></div>`
      : null}
  </section>`;
}

function ConfigPreview({ deviceId }) {
  const { body, error } = useResource(`/devices/${deviceId}/preview`);
  return html`<section aria-labelledby="preview-title">
    <h3 id="preview-title">What the phone gets${body ? html` (<span class="mono">${body.fileName}</span>)` : null}</h3>
    <${ErrorMessage} error=${error} />
    ${body ? html`<pre class="preview" tabindex="0" aria-label="Rendered phone file, passwords masked">${body.body}</pre>` : null}
  </section>`;
}

function DeviceView({ device, onClose }) {
  return html`<${Dialog} title=${`Device ${device.mac}`} onClose=${onClose} wide>
    <dl class="facts">
      <div><dt>Model</dt><dd>${device.model}</dd></div>
      <div><dt>Last seen</dt><dd>${formatTime(device.lastSeenAt)}</dd></div>
      <div><dt>Address</dt><dd>${device.lastAddress ?? 'unknown'}</dd></div>
      <div><dt>Firmware</dt><dd>${device.firmware ?? 'unknown'}</dd></div>
      <div><dt>Reported model</dt><dd>${device.reportedModel ?? 'unknown'}</dd></div>
      <div><dt>Lines</dt><dd>${device.lines.length ? device.lines.map((line) => `${line.line}: ${line.accountName}`).join(', ') : 'none'}</dd></div>
    </dl>
    <${RequestHistory} deviceId=${device.id} />
    <${ConfigPreview} deviceId=${device.id} />
    <div class="actions"><button type="button" onClick=${onClose}>Close</button></div>
  <//>`;
}

const emptyFilters = { mac: '', model: '' };

export function DevicesPage() {
  const choices = useChoices();
  const [draft, setDraft] = useState(emptyFilters);
  const [filters, setFilters] = useState(emptyFilters);
  const [sort, setSort] = useState({ column: 'mac', order: 'asc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [dialog, setDialog] = useState(null);
  const [notice, setNotice] = useState('');
  const [list, reload] = useList('/devices', { ...filters, sort: sort.column, order: sort.order, page, pageSize });
  const profileName = (id) => choices.profiles.find((profile) => profile.id === id)?.name ?? `#${id}`;

  const done = (text) => {
    setDialog(null);
    setNotice(text);
    reload();
  };

  async function remove(device) {
    try {
      await api('DELETE', `/devices/${device.id}`);
      done(`Device ${device.mac} deleted.`);
    } catch (caught) {
      setDialog({ ...dialog, error: caught });
    }
  }

  const set = (name) => (value) => setDraft({ ...draft, [name]: value });
  return html`<section class="page" aria-labelledby="devices-title">
    <h1 id="devices-title">Devices</h1>
    <form class="filters" role="search" aria-label="Filter devices" onSubmit=${(event) => {
      event.preventDefault();
      setFilters(draft);
      setPage(1);
    }}>
      <${FilterField} id="device-filter-mac" label="MAC" value=${draft.mac} onInput=${set('mac')} />
      <${FilterField} id="device-filter-model" label="Model" value=${draft.model} onInput=${set('model')} options=${choices.models.map((model) => ({ value: model.name, label: model.name }))} />
      <div class="filter-buttons">
        <button type="submit" class="primary">Search</button>
        <button type="button" onClick=${() => {
          setDraft(emptyFilters);
          setFilters(emptyFilters);
          setPage(1);
        }}>Reset</button>
      </div>
    </form>
    <div class="toolbar" role="toolbar" aria-label="Device actions">
      <button type="button" class="primary" onClick=${() => setDialog({ kind: 'add' })}>+ Add</button>
    </div>
    <${Notice} text=${notice} />
    <${ErrorMessage} error=${list.error} />
    <div class="table-wrap">
      <table class="list" aria-label="Devices" aria-busy=${list.loading ? 'true' : 'false'}>
        <thead><tr>
          <${SortHeader} column="mac" label="MAC" sort=${sort} onSort=${setSort} />
          <${SortHeader} column="model" label="Model" sort=${sort} onSort=${setSort} />
          <th>Profile</th><th>Lines</th>
          <${SortHeader} column="lastSeenAt" label="Last Seen" sort=${sort} onSort=${setSort} />
          <th>Address</th><th>Actions</th>
        </tr></thead>
        <tbody>
          ${list.items.map(
            (device) => html`<tr key=${device.id}>
              <td class="mono">${device.mac}</td><td>${device.model}</td><td>${profileName(device.profileId)}</td>
              <td>${device.lines.map((line) => `${line.line}: ${line.accountName}`).join(', ')}</td>
              <td>${formatTime(device.lastSeenAt)}</td><td>${device.lastAddress ?? ''}</td>
              <td class="row-actions">
                <button type="button" aria-label=${`View ${device.mac}`} onClick=${() => setDialog({ kind: 'view', device })}>View</button>
                <button type="button" aria-label=${`Edit ${device.mac}`} onClick=${() => setDialog({ kind: 'edit', device })}>Edit</button>
                <button type="button" class="danger" aria-label=${`Delete ${device.mac}`} onClick=${() => setDialog({ kind: 'delete', device, error: null })}>Delete</button>
              </td>
            </tr>`,
          )}
          ${!list.loading && list.items.length === 0 ? html`<tr><td colspan="7" class="empty">No devices match.</td></tr>` : null}
        </tbody>
      </table>
    </div>
    <${Pager} page=${page} pageSize=${pageSize} total=${list.total} onPage=${setPage} onPageSize=${(size) => {
      setPageSize(size);
      setPage(1);
    }} />
    ${dialog?.kind === 'add' || dialog?.kind === 'edit'
      ? html`<${DeviceForm} device=${dialog.device} choices=${choices} onSaved=${(_saved, text) => done(text)} onClose=${() => setDialog(null)} />`
      : null}
    ${dialog?.kind === 'view' ? html`<${DeviceView} device=${dialog.device} onClose=${() => setDialog(null)} />` : null}
    ${dialog?.kind === 'delete'
      ? html`<${ConfirmDialog} title="Delete Device" message="Confirm Delete?" error=${dialog.error} onConfirm=${() => remove(dialog.device)} onCancel=${() => setDialog(null)} />`
      : null}
  </section>`;
}
