import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import t, { type Test } from 'tap';

import { writableLineCount } from '../../src/devices/devices-service.js';
import { findModel } from '../../src/devices/models.js';
import { accountSlotLimit, invalidValueReason, parameter, parameters, profileSlotLimit } from '../../src/provisioning/parameters.js';
import { renderParametersDoc } from '../../src/provisioning/parameters-doc.js';
import { planProfileSlots } from '../../src/provisioning/profile-slots.js';
import { createRenderer, TemplateError } from '../../src/provisioning/renderer.js';

const sample = { parameters: [{ code: 35, para: 'Account1.SipUserId', element: 'Account1_SipUserId', value: '201' }], mac: '001fc110d3a9', model: 'UC926' };

t.test('docs/parameters.md is up to date', async (t) => {
  const committed = fs.readFileSync('docs/parameters.md', 'utf8');
  t.equal(committed, renderParametersDoc(), 'docs/parameters.md matches the catalogue; run npm run docs:parameters');
});

t.test('catalogue P-codes are unique', async (t) => {
  const seen = new Map<number, string>();
  for (const def of parameters) {
    for (const code of def.pCodes) {
      t.notOk(seen.has(code), `P${code} of ${def.key} is not also ${seen.get(code)}`);
      seen.set(code, def.key);
    }
  }
});

t.test('catalogue element names are unique', async (t) => {
  const elements = parameters.map((def) => def.element);
  t.equal(new Set(elements).size, elements.length);
});

t.test('catalogue slot limits', async (t) => {
  t.equal(accountSlotLimit('p-code', 16), 6, 'account codes known for lines 1-6');
  t.equal(profileSlotLimit('p-code', 16), 4, 'profile codes known for slots 1-4');
  t.equal(accountSlotLimit('named', 16), 16, 'named dialect follows the line count');
  t.equal(accountSlotLimit('p-code', 2), 2, 'never more than the model has');
  t.equal(writableLineCount(findModel('UC926')!), 6);
  t.equal(writableLineCount(findModel('UC926U')!), 16);
  t.equal(writableLineCount(findModel('UC926')!, 'named'), 16, 'a dialect override changes the limit');
});

t.test('catalogue value checks', async (t) => {
  t.equal(invalidValueReason(parameter('profile.transport'), '1'), undefined);
  t.match(invalidValueReason(parameter('profile.transport'), '7'), /must be one of 0, 1, 2/);
  t.match(invalidValueReason(parameter('account.localSipPort'), '50a'), /whole number/);
  t.equal(invalidValueReason(parameter('account.localSipPort'), ''), undefined, 'empty leaves the phone default');
});

t.test('profile slots for lines above 4', async (t) => {
  const shared = planProfileSlots(
    [
      { line: 1, profileId: 10 },
      { line: 2, profileId: 20 },
      { line: 5, profileId: 20 },
      { line: 6, profileId: 30 },
    ],
    'p-code',
    6,
  );
  t.equal(shared.slotByLine.get(5), 2, 'line 5 shares the slot of line 2');
  t.same([...shared.profileBySlot.entries()], [
    [1, 10],
    [2, 20],
  ]);
  t.equal(shared.rejected.length, 1, 'line 6 has no slot with its profile');
  t.equal(shared.rejected[0]?.line, 6);
  t.match(shared.rejected[0]?.message, /profile slots 1-4 only/);

  const named = planProfileSlots([{ line: 6, profileId: 30 }], 'named', 16);
  t.equal(named.slotByLine.get(6), 6, 'named dialect uses slot N for line N');
  t.equal(named.rejected.length, 0);
});

function templateDir(t: Test, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htek-templates-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

t.test('broken template fails with file and line', async (t) => {
  const dir = templateDir(t, { 'p-code.hbs': '<hl_provision>\n<config>\n{{#each parameters}}\n<P{{code}}>\n</config>\n' });
  const error = (() => {
    try {
      createRenderer(dir);
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  t.ok(error instanceof TemplateError, 'a TemplateError is thrown');
  t.equal((error as TemplateError).file, path.join(dir, 'p-code.hbs'));
  t.ok((error as TemplateError).line !== undefined, 'the line is known');
  t.match((error as TemplateError).message, new RegExp(`${path.join(dir, 'p-code.hbs')}, line \\d+`));
});

t.test('template with unknown field fails at start-up', async (t) => {
  const dir = templateDir(t, { 'named.hbs': 'line one\n{{noSuchField}}\n' });
  t.throws(() => createRenderer(dir), { name: 'TemplateError', line: 2 });
});

t.test('missing template folder fails at start-up', async (t) => {
  t.throws(() => createRenderer('/nonexistent/htek-templates'), { name: 'TemplateError', message: /does not exist/ });
});

t.test('override folder replaces and extends templates', async (t) => {
  const builtIn = createRenderer(undefined);
  const dir = templateDir(t, { 'p-code-extra.hbs': '    <P8681 para="LogUser.Admin">admin-{{mac}}</P8681>\n' });
  const extended = createRenderer(dir);

  t.notMatch(builtIn.render('p-code', sample), /P8681/, 'built-in has no extra lines');
  t.match(extended.render('p-code', sample), /<P8681 para="LogUser.Admin">admin-001fc110d3a9<\/P8681>\n {2}<\/config>/, 'extra partial is rendered');
  t.not(extended.fingerprint, builtIn.fingerprint, 'fingerprint changes with the templates');
  t.equal(createRenderer(undefined).fingerprint, builtIn.fingerprint, 'fingerprint is stable');

  const replaced = createRenderer(templateDir(t, { 'named.hbs': 'custom {{#each parameters}}{{element}}{{/each}}\n' }));
  t.equal(replaced.render('named', sample), 'custom Account1_SipUserId\n');
  t.match(replaced.sources.named, /named\.hbs$/);
});
