// Account Management: filter area, toolbar, account list with per-row actions.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

import { AccountForm } from './account-form.js';
import { api, downloadFile, queryString } from './api.js';
import { ConfirmDialog, ErrorMessage, FilterField, Notice, Pager, SortHeader, useList } from './components.js';
import { ImportDialog } from './import-dialog.js';
import { PushDialog } from './push-dialog.js';

const emptyFilters = { name: '', profile: '', label: '', sipUserId: '', authId: '', accountStatus: '', assignStatus: '' };

const accountStatusOptions = [
  { value: 'online', label: 'Online' },
  { value: 'offline', label: 'Offline' },
];
const assignStatusOptions = [
  { value: 'allocated', label: 'Allocated' },
  { value: 'unallocated', label: 'Unallocated' },
];

/** Loads all profiles for the Profile drop-down (at most 500, the API's page size limit). */
function useProfiles() {
  const [profiles, setProfiles] = useState([]);
  useEffect(() => {
    api('GET', '/profiles?pageSize=500&sort=name').then((body) => setProfiles(body.items), () => setProfiles([]));
  }, []);
  return profiles;
}

function FilterArea({ draft, setDraft, onSearch, onReset }) {
  const set = (name) => (value) => setDraft({ ...draft, [name]: value });
  const submit = (event) => {
    event.preventDefault();
    onSearch();
  };
  return html`<form class="filters" role="search" aria-label="Filter accounts" onSubmit=${submit}>
    <${FilterField} id="filter-name" label="Name" value=${draft.name} onInput=${set('name')} />
    <${FilterField} id="filter-profile" label="Profile" value=${draft.profile} onInput=${set('profile')} />
    <${FilterField} id="filter-label" label="Label" value=${draft.label} onInput=${set('label')} />
    <${FilterField} id="filter-sip-user-id" label="SIP User ID" value=${draft.sipUserId} onInput=${set('sipUserId')} />
    <${FilterField} id="filter-auth-id" label="Authenticate ID" value=${draft.authId} onInput=${set('authId')} />
    <${FilterField} id="filter-account-status" label="Account Status" value=${draft.accountStatus} onInput=${set('accountStatus')} options=${accountStatusOptions} />
    <${FilterField} id="filter-assign-status" label="Assign Status" value=${draft.assignStatus} onInput=${set('assignStatus')} options=${assignStatusOptions} />
    <div class="filter-buttons">
      <button type="submit" class="primary">Search</button>
      <button type="button" onClick=${onReset}>Reset</button>
    </div>
  </form>`;
}

function AccountRow({ account, checked, onCheck, onEdit, onDelete, onPush }) {
  return html`<tr>
    <td><input type="checkbox" aria-label=${`Select ${account.name}`} checked=${checked} onChange=${(event) => onCheck(account.id, event.currentTarget.checked)} /></td>
    <td>${account.name}</td>
    <td>${account.profileName}</td>
    <td>${account.label}</td>
    <td>${account.sipUserId}</td>
    <td>${account.authId}</td>
    <td><span class=${`badge ${account.accountStatus}`}>${account.accountStatus === 'online' ? 'Online' : 'Offline'}</span></td>
    <td><span class=${`badge ${account.assignStatus}`}>${account.assignStatus === 'allocated' ? 'Allocated' : 'Unallocated'}</span></td>
    <td class="row-actions">
      <button type="button" onClick=${() => onEdit(account)} aria-label=${`Edit ${account.name}`}>Edit</button>
      <button type="button" class="danger" onClick=${() => onDelete([account.id])} aria-label=${`Delete ${account.name}`}>Delete</button>
      <button type="button" onClick=${() => onPush(account)} aria-label=${`Push ${account.name}`}>Push</button>
    </td>
  </tr>`;
}

export function AccountsPage() {
  const profiles = useProfiles();
  const [draft, setDraft] = useState(emptyFilters);
  const [filters, setFilters] = useState(emptyFilters);
  const [sort, setSort] = useState({ column: 'name', order: 'asc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [checked, setChecked] = useState(new Set());
  const [dialog, setDialog] = useState(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const [list, reload] = useList('/accounts', { ...filters, sort: sort.column, order: sort.order, page, pageSize });

  const search = () => {
    setFilters(draft);
    setPage(1);
  };
  const reset = () => {
    setDraft(emptyFilters);
    setFilters(emptyFilters);
    setPage(1);
  };
  const check = (id, on) => {
    const next = new Set(checked);
    if (on) next.add(id);
    else next.delete(id);
    setChecked(next);
  };
  const allChecked = list.items.length > 0 && list.items.every((account) => checked.has(account.id));
  const checkAll = (on) => setChecked(on ? new Set(list.items.map((account) => account.id)) : new Set());
  const done = (text) => {
    setDialog(null);
    setNotice(text);
    setActionError(null);
    reload();
  };

  // A first attempt never unbinds. When the accounts are on device lines, the API returns
  // account_allocated and the dialog requests a second confirmation before unbinding them.
  async function deleteAccounts(ids, unbind) {
    try {
      const result = await api('POST', '/accounts/delete', { ids, unbind });
      setChecked(new Set([...checked].filter((id) => !ids.includes(id))));
      done(`${result.deleted} account(s) deleted.`);
    } catch (caught) {
      setDialog({ ...dialog, error: caught, unbind: caught.code === 'account_allocated' });
    }
  }

  async function exportAccounts() {
    // Checked rows when there are any, otherwise the whole filtered list.
    const query = checked.size ? queryString({ ids: [...checked].join(',') }) : queryString({ ...filters, sort: sort.column, order: sort.order });
    try {
      const file = await downloadFile(`/accounts/export.xlsx?${query}`, 'accounts.xlsx');
      done(`Exported ${checked.size ? `${checked.size} checked account(s)` : 'the filtered list'} to ${file.name}.`);
    } catch (caught) {
      setDialog({ ...dialog, error: caught });
    }
  }

  async function downloadTemplate() {
    setActionError(null);
    try {
      const file = await downloadFile('/accounts/template.xlsx', 'accounts-template.xlsx');
      setNotice(`Template saved as ${file.name}.`);
    } catch (caught) {
      setActionError(caught);
    }
  }

  const confirmDelete = (ids) => setDialog({ kind: 'delete', ids, error: null });

  return html`<section class="page" aria-labelledby="accounts-title">
    <h1 id="accounts-title">Accounts</h1>
    <${FilterArea} draft=${draft} setDraft=${setDraft} onSearch=${search} onReset=${reset} />
    <div class="toolbar" role="toolbar" aria-label="Account actions">
      <button type="button" class="primary" onClick=${() => setDialog({ kind: 'add' })}>+ Add</button>
      <button type="button" class="danger" disabled=${checked.size === 0} onClick=${() => confirmDelete([...checked])}>Delete${checked.size ? ` (${checked.size})` : ''}</button>
      <button type="button" onClick=${() => setDialog({ kind: 'import' })}>Import</button>
      <button type="button" onClick=${() => setDialog({ kind: 'export', error: null })}>Export</button>
      <button type="button" onClick=${downloadTemplate}>Download Template</button>
    </div>
    <${Notice} text=${notice} />
    <${ErrorMessage} error=${actionError ?? list.error} />
    <div class="table-wrap">
      <table class="list" aria-label="Accounts" aria-busy=${list.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            <th><input type="checkbox" aria-label="Select all accounts on this page" checked=${allChecked} onChange=${(event) => checkAll(event.currentTarget.checked)} /></th>
            <${SortHeader} column="name" label="Name" sort=${sort} onSort=${setSort} />
            <${SortHeader} column="profileName" label="Profile" sort=${sort} onSort=${setSort} />
            <${SortHeader} column="label" label="Label" sort=${sort} onSort=${setSort} />
            <${SortHeader} column="sipUserId" label="SIP User ID" sort=${sort} onSort=${setSort} />
            <${SortHeader} column="authId" label="Authenticate ID" sort=${sort} onSort=${setSort} />
            <${SortHeader} column="accountStatus" label="Account Status" sort=${sort} onSort=${setSort} />
            <${SortHeader} column="assignStatus" label="Assign Status" sort=${sort} onSort=${setSort} />
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          ${list.items.map(
            (account) => html`<${AccountRow} key=${account.id} account=${account} checked=${checked.has(account.id)} onCheck=${check}
              onEdit=${(row) => setDialog({ kind: 'edit', account: row })} onDelete=${confirmDelete} onPush=${(row) => setDialog({ kind: 'push', account: row })} />`,
          )}
          ${!list.loading && list.items.length === 0 ? html`<tr><td colspan="9" class="empty">No accounts match.</td></tr>` : null}
        </tbody>
      </table>
    </div>
    <${Pager} page=${page} pageSize=${pageSize} total=${list.total} onPage=${setPage} onPageSize=${(size) => {
      setPageSize(size);
      setPage(1);
    }} />

    ${dialog?.kind === 'add' || dialog?.kind === 'edit'
      ? html`<${AccountForm} account=${dialog.account} profiles=${profiles} onSaved=${(_saved, text) => done(text)} onClose=${() => setDialog(null)} />`
      : null}
    ${dialog?.kind === 'delete'
      ? html`<${ConfirmDialog} title="Delete Accounts" message=${dialog.unbind ? 'Confirm Delete and remove the accounts from their device lines?' : 'Confirm Delete?'}
          error=${dialog.error} onConfirm=${() => deleteAccounts(dialog.ids, Boolean(dialog.unbind))} onCancel=${() => setDialog(null)} />`
      : null}
    ${dialog?.kind === 'export'
      ? html`<${ConfirmDialog} title="Export Accounts" message="Confirm Export?" error=${dialog.error} onConfirm=${exportAccounts} onCancel=${() => setDialog(null)} />`
      : null}
    ${dialog?.kind === 'import' ? html`<${ImportDialog} onClose=${() => setDialog(null)} onImported=${(report) => { setNotice(`Import finished: ${report.created} created, ${report.updated} updated.`); reload(); }} />` : null}
    ${dialog?.kind === 'push' ? html`<${PushDialog} account=${dialog.account} onClose=${() => setDialog(null)} />` : null}
  </section>`;
}
