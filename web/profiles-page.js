// Profiles: the SIP server side shared by many accounts. List, filter, add, edit and delete.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

import { api, fieldErrors } from './api.js';
import { ConfirmDialog, Dialog, ErrorMessage, FilterField, FormFields, Notice, Pager, SortHeader, toBody, useList } from './components.js';

const transportOptions = ['udp', 'tcp', 'tls'].map((value) => ({ value, label: value.toUpperCase() }));
const dtmfOptions = [
  { value: 'rfc2833', label: 'RFC 2833' },
  { value: 'inband', label: 'In-band' },
  { value: 'sip-info', label: 'SIP INFO' },
];

const profileFields = [
  { name: 'name', label: 'Name', required: true },
  { name: 'sipServer', label: 'SIP Server', required: true, hint: 'Registrar host name or IP address, without port.' },
  { name: 'sipPort', label: 'SIP Port', type: 'number', placeholder: '5060' },
  { name: 'transport', label: 'Transport', type: 'select', options: transportOptions },
  { name: 'outboundProxy', label: 'Outbound Proxy', hint: 'host or host:port' },
  { name: 'failoverServer', label: 'Failover Server', hint: 'host or host:port' },
  { name: 'registrationExpiry', label: 'Registration Expiry (s)', type: 'number', placeholder: '3600' },
  { name: 'dtmfMode', label: 'DTMF Mode', type: 'select', options: dtmfOptions },
  { name: 'natTraversal', label: 'NAT Traversal', type: 'checkbox' },
  { name: 'rport', label: 'rport', type: 'checkbox' },
  { name: 'mwiSubscribe', label: 'MWI Subscribe', type: 'checkbox' },
  { name: 'extraParameters', label: 'Extra Parameters', type: 'textarea', hint: 'One per line: P-code or element name = value, e.g. P8681 = 1' },
];

/** Parses `key = value` lines; returns the object or the first invalid line. */
function parseExtraParameters(text) {
  const parameters = {};
  const lines = String(text ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  for (const line of lines) {
    const separator = line.indexOf('=');
    if (separator <= 0) return { invalid: line };
    parameters[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return { parameters };
}

// The values the API stores for a profile created without these fields (the column defaults of
// the profiles table), so the Add Profile form starts with what a bare POST /profiles would get.
const profileDefaults = {
  sipPort: 5060,
  transport: 'udp',
  registrationExpiry: 3600,
  dtmfMode: 'rfc2833',
  natTraversal: false,
  rport: true,
  mwiSubscribe: false,
  extraParameters: '',
};

function initialValues(profile) {
  if (!profile) return { ...profileDefaults };
  const values = { ...profile, extraParameters: Object.entries(profile.extraParameters ?? {}).map(([key, value]) => `${key} = ${value}`).join('\n') };
  for (const [key, value] of Object.entries(values)) if (value === null) values[key] = '';
  return values;
}

function ProfileForm({ profile, onSaved, onClose }) {
  const editing = Boolean(profile);
  const [values, setValues] = useState(() => initialValues(profile));
  const [error, setError] = useState(null);
  const [localErrors, setLocalErrors] = useState({});

  async function submit(event) {
    event.preventDefault();
    const extra = parseExtraParameters(values.extraParameters);
    if (extra.invalid) {
      setLocalErrors({ extraParameters: `"${extra.invalid}" has no "=": write it as name = value.` });
      return;
    }
    setLocalErrors({});

    const body = { ...toBody(profileFields.filter((field) => field.name !== 'extraParameters'), values), extraParameters: extra.parameters };
    if (!body.transport) delete body.transport;
    if (!body.dtmfMode) delete body.dtmfMode;
    try {
      const saved = editing ? await api('PATCH', `/profiles/${profile.id}`, { ...body, version: profile.version }) : await api('POST', '/profiles', body);
      onSaved(saved, editing ? 'Profile saved.' : 'Profile added.');
    } catch (caught) {
      setError(caught);
    }
  }

  return html`<${Dialog} title=${editing ? `Edit Profile ${profile.name}` : 'Add Profile'} onClose=${onClose} wide>
    <form class="form-grid" onSubmit=${submit} noValidate>
      <p class="form-note"><span class="required">*</span> marks a required field.</p>
      <${FormFields} fields=${profileFields} values=${values} errors=${{ ...fieldErrors(error), ...localErrors }}
        onChange=${(name, value) => setValues((previous) => ({ ...previous, [name]: value }))} idPrefix="profile" />
      <${ErrorMessage} error=${error} />
      <div class="actions">
        <button type="submit" class="primary">Confirm</button>
        <button type="button" onClick=${onClose}>Cancel</button>
      </div>
    </form>
  <//>`;
}

const emptyFilters = { name: '', sipServer: '', transport: '' };

export function ProfilesPage() {
  const [draft, setDraft] = useState(emptyFilters);
  const [filters, setFilters] = useState(emptyFilters);
  const [sort, setSort] = useState({ column: 'name', order: 'asc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [dialog, setDialog] = useState(null);
  const [notice, setNotice] = useState('');
  const [list, reload] = useList('/profiles', { ...filters, sort: sort.column, order: sort.order, page, pageSize });

  const done = (text) => {
    setDialog(null);
    setNotice(text);
    reload();
  };

  async function remove(profile) {
    try {
      await api('DELETE', `/profiles/${profile.id}`);
      done(`Profile ${profile.name} deleted.`);
    } catch (caught) {
      setDialog({ ...dialog, error: caught });
    }
  }

  const set = (name) => (value) => setDraft({ ...draft, [name]: value });
  return html`<section class="page" aria-labelledby="profiles-title">
    <h1 id="profiles-title">Profiles</h1>
    <form class="filters" role="search" aria-label="Filter profiles" onSubmit=${(event) => {
      event.preventDefault();
      setFilters(draft);
      setPage(1);
    }}>
      <${FilterField} id="profile-filter-name" label="Name" value=${draft.name} onInput=${set('name')} />
      <${FilterField} id="profile-filter-server" label="SIP Server" value=${draft.sipServer} onInput=${set('sipServer')} />
      <${FilterField} id="profile-filter-transport" label="Transport" value=${draft.transport} onInput=${set('transport')} options=${transportOptions} />
      <div class="filter-buttons">
        <button type="submit" class="primary">Search</button>
        <button type="button" onClick=${() => {
          setDraft(emptyFilters);
          setFilters(emptyFilters);
          setPage(1);
        }}>Reset</button>
      </div>
    </form>
    <div class="toolbar" role="toolbar" aria-label="Profile actions">
      <button type="button" class="primary" onClick=${() => setDialog({ kind: 'add' })}>+ Add</button>
    </div>
    <${Notice} text=${notice} />
    <${ErrorMessage} error=${list.error} />
    <div class="table-wrap">
      <table class="list" aria-label="Profiles" aria-busy=${list.loading ? 'true' : 'false'}>
        <thead><tr>
          <${SortHeader} column="name" label="Name" sort=${sort} onSort=${setSort} />
          <${SortHeader} column="sipServer" label="SIP Server" sort=${sort} onSort=${setSort} />
          <${SortHeader} column="transport" label="Transport" sort=${sort} onSort=${setSort} />
          <th>Port</th><th>Accounts</th><th>Devices</th><th>Actions</th>
        </tr></thead>
        <tbody>
          ${list.items.map(
            (profile) => html`<tr key=${profile.id}>
              <td>${profile.name}</td><td>${profile.sipServer}</td><td>${profile.transport.toUpperCase()}</td><td>${profile.sipPort}</td>
              <td>${profile.accountCount ?? ''}</td><td>${profile.deviceCount ?? ''}</td>
              <td class="row-actions">
                <button type="button" aria-label=${`Edit ${profile.name}`} onClick=${() => setDialog({ kind: 'edit', profile })}>Edit</button>
                <button type="button" class="danger" aria-label=${`Delete ${profile.name}`} onClick=${() => setDialog({ kind: 'delete', profile, error: null })}>Delete</button>
              </td>
            </tr>`,
          )}
          ${!list.loading && list.items.length === 0 ? html`<tr><td colspan="7" class="empty">No profiles match. Add one before adding accounts.</td></tr>` : null}
        </tbody>
      </table>
    </div>
    <${Pager} page=${page} pageSize=${pageSize} total=${list.total} onPage=${setPage} onPageSize=${(size) => {
      setPageSize(size);
      setPage(1);
    }} />
    ${dialog?.kind === 'add' || dialog?.kind === 'edit' ? html`<${ProfileForm} profile=${dialog.profile} onSaved=${(_saved, text) => done(text)} onClose=${() => setDialog(null)} />` : null}
    ${dialog?.kind === 'delete'
      ? html`<${ConfirmDialog} title="Delete Profile" message="Confirm Delete?" error=${dialog.error} onConfirm=${() => remove(dialog.profile)} onCancel=${() => setDialog(null)} />`
      : null}
  </section>`;
}
