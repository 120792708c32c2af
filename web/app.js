// Entry point of the admin UI: navigation and a hash router (#/accounts, #/profiles, #/devices).
import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

import { AccountsPage } from './accounts-page.js';
import { DevicesPage } from './devices-page.js';
import { ProfilesPage } from './profiles-page.js';

const pages = [
  { path: 'accounts', title: 'Accounts', component: AccountsPage },
  { path: 'profiles', title: 'Profiles', component: ProfilesPage },
  { path: 'devices', title: 'Devices', component: DevicesPage },
];

function currentPath() {
  const path = location.hash.replace(/^#\/?/, '');
  return pages.some((page) => page.path === path) ? path : 'accounts';
}

function App() {
  const [path, setPath] = useState(currentPath);

  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);

  const page = pages.find((candidate) => candidate.path === path);
  useEffect(() => {
    document.title = `${page.title} · htek-dms`;
  }, [page]);

  return html`<a class="skip-link" href="#main">Skip to content</a>
    <header class="top">
      <span class="brand">htek-dms</span>
      <nav aria-label="Main">
        ${pages.map((candidate) => html`<a href=${`#/${candidate.path}`} aria-current=${candidate.path === path ? 'page' : undefined}>${candidate.title}</a>`)}
      </nav>
    </header>
    <main id="main" tabindex="-1"><${page.component} key=${page.path} /></main>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
