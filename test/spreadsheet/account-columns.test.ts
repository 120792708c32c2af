import t from 'tap';

import { ACCOUNT_COLUMNS, findColumnByHeader, formatHeader } from '../../src/spreadsheet/account-columns.js';

t.test('columns follow the add form order', async (t) => {
  t.same(
    ACCOUNT_COLUMNS.map((column) => column.header),
    [
      'Name',
      'Profile',
      'Account Active',
      'Label',
      'SIP User ID',
      'Authenticate ID',
      'Authenticate Password',
      'Direct Call Pickup Code',
      'Group Call Pickup Code',
      'Feature Key Sync',
      'Voice Mail User ID',
      'Dial Plan',
      'EventList BLF URL',
      'PIN',
      'Display Name',
      'Local SIP Port',
      'Use Random Port',
    ],
  );
});

t.test('required and secret columns', async (t) => {
  const required = ACCOUNT_COLUMNS.filter((column) => column.required).map((column) => column.key);
  const secrets = ACCOUNT_COLUMNS.filter((column) => column.kind === 'secret').map((column) => column.key);
  const yesNo = ACCOUNT_COLUMNS.filter((column) => column.kind === 'yesno').map((column) => column.key);

  t.same(required, ['name', 'profile', 'label', 'sipUserId', 'authId', 'authPassword', 'pin']);
  t.same(secrets, ['authPassword', 'pin']);
  t.same(yesNo, ['active', 'featureKeySync', 'useRandomPort']);
});

t.test('every column has a description and an example', async (t) => {
  for (const column of ACCOUNT_COLUMNS) {
    t.ok(column.description.length > 10, `${column.key} description`);
    t.ok(column.example.length > 0, `${column.key} example`);
  }
});

t.test('formatHeader marks required columns', async (t) => {
  t.equal(formatHeader(ACCOUNT_COLUMNS[0]), 'Name *');
  t.equal(formatHeader(ACCOUNT_COLUMNS[2]), 'Account Active');
});

t.test('findColumnByHeader matching rules', async (t) => {
  t.equal(findColumnByHeader('SIP User ID *')?.key, 'sipUserId');
  t.equal(findColumnByHeader('  sip user id*  ')?.key, 'sipUserId');
  t.equal(findColumnByHeader('SIP\u00a0User  ID')?.key, 'sipUserId');
  t.equal(findColumnByHeader('EVENTLIST BLF URL')?.key, 'eventListBlfUrl');
  t.equal(findColumnByHeader('voicemailUserId')?.key, 'voicemailUserId');
  t.equal(findColumnByHeader('SIP User'), undefined);
  t.equal(findColumnByHeader('Notes'), undefined);
});
