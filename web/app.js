// Entry point of the admin UI: navigation and a hash router (#/accounts, #/profiles, #/devices).
import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

import { AccountsPage } from './accounts-page.js';
import { currentUser, signInRequiredEvent, signOut } from './api.js';
import { LoginPage, UserMenu } from './login-page.js';
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
  // undefined while the session is checked, null when signed out.
  const [user, setUser] = useState(undefined);
  const [sessionError, setSessionError] = useState(null);

  useEffect(() => {
    currentUser().then(setUser, (error) => setSessionError(error.message));
    const signedOut = () => setUser(null);
    addEventListener(signInRequiredEvent, signedOut);
    return () => removeEventListener(signInRequiredEvent, signedOut);
  }, []);

  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);

  const page = pages.find((candidate) => candidate.path === path);
  useEffect(() => {
    document.title = user === null ? 'Sign in · htek-dms' : `${page.title} · htek-dms`;
  }, [page, user]);

  const endSession = async () => {
    try {
      await signOut();
    } finally {
      setUser(null);
    }
  };

  if (sessionError) return html`<main id="main"><div class="error" role="alert">${sessionError}</div></main>`;
  if (user === undefined) return html`<p class="loading">Loading…</p>`;
  if (user === null) {
    return html`<header class="top"><span class="brand">htek-dms</span></header>
      <main id="main" tabindex="-1"><${LoginPage} onSignedIn=${setUser} /></main>`;
  }

  return html`<a class="skip-link" href="#main">Skip to content</a>
    <header class="top">
      <span class="brand">htek-dms</span>
      <nav aria-label="Main">
        ${pages.map((candidate) => html`<a href=${`#/${candidate.path}`} aria-current=${candidate.path === path ? 'page' : undefined}>${candidate.title}</a>`)}
      </nav>
      <${UserMenu} user=${user} onSignOut=${endSession} />
    </header>
    <main id="main" tabindex="-1"><${page.component} key=${page.path} /></main>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
