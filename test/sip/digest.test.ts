import t from 'tap';

import {
  buildDigestAuthorization,
  computeDigestResponse,
  parseDigestChallenges,
  unsupportedChallengeReason,
  type DigestChallenge,
} from '../../src/sip/digest.js';

const mufasa = { username: 'Mufasa', password: 'Circle Of Life' };

t.test('digest RFC 2617 section 3.5 vector', async (t) => {
  const [challenge] = parseDigestChallenges([
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  ]);
  if (challenge === undefined) throw new Error('the RFC 2617 challenge did not parse');

  const response = computeDigestResponse({
    challenge,
    credentials: mufasa,
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: '0a4f113b',
    nonceCount: 1,
  });

  t.equal(response, '6629fae49393a05397450978507c4ef1');
});

t.test('digest RFC 7616 section 3.9.1 vectors', async (t) => {
  const header = (algorithm: string): string =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
  const input = {
    credentials: { username: 'Mufasa', password: 'Circle of Life' },
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    nonceCount: 1,
  };

  const [md5] = parseDigestChallenges([header('MD5')]);
  const [sha256] = parseDigestChallenges([header('SHA-256')]);
  if (md5 === undefined || sha256 === undefined) throw new Error('the RFC 7616 challenges did not parse');

  t.equal(computeDigestResponse({ ...input, challenge: md5 }), '8ca523f5e9506fed4657c9700eebdbec', 'MD5');
  t.equal(
    computeDigestResponse({ ...input, challenge: sha256 }),
    '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    'SHA-256',
  );
});

t.test('digest without qop (RFC 2069)', async (t) => {
  // Expected value computed separately with Python hashlib: MD5(HA1 ":" nonce ":" HA2).
  const challenge: DigestChallenge = { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qopOptions: [], algorithm: 'MD5' };

  const response = computeDigestResponse({ challenge, credentials: mufasa, method: 'GET', uri: '/dir/index.html', cnonce: 'unused', nonceCount: 1 });

  t.equal(response, '670fd8c2df070c60b045671b8b24ff02');
});

t.test('parseDigestChallenges fields', async (t) => {
  const challenges = parseDigestChallenges([
    'Basic realm="x"',
    'Digest realm="htek", nonce="n1"',
    'digest REALM="pbx \\"main\\"", Nonce=n2, opaque="o", qop="auth-int, Auth", algorithm=md5-sess, stale=FALSE',
    'Digest nonce="no-realm"',
  ]);

  t.equal(challenges.length, 2, 'Basic and a challenge without realm are skipped');
  t.same(challenges[0], { realm: 'htek', nonce: 'n1', qopOptions: [], algorithm: 'MD5' });
  t.same(challenges[1], { realm: 'pbx "main"', nonce: 'n2', opaque: 'o', qopOptions: ['auth-int', 'auth'], algorithm: 'MD5-SESS' });
});

t.test('unsupportedChallengeReason', async (t) => {
  const base: DigestChallenge = { realm: 'r', nonce: 'n', qopOptions: ['auth'], algorithm: 'MD5' };

  t.equal(unsupportedChallengeReason(base), undefined);
  t.equal(unsupportedChallengeReason({ ...base, algorithm: 'MD5-SESS' }), undefined);
  t.equal(unsupportedChallengeReason({ ...base, qopOptions: [] }), undefined);
  t.match(unsupportedChallengeReason({ ...base, algorithm: 'AKAV1-MD5' }), /AKAV1-MD5.*not supported/);
  t.match(unsupportedChallengeReason({ ...base, qopOptions: ['auth-conf'] }), /auth-conf.*not supported/);
});

t.test('buildDigestAuthorization with qop', async (t) => {
  const challenge: DigestChallenge = { realm: 'htek', nonce: 'abc', opaque: 'op', qopOptions: ['auth-int', 'auth'], algorithm: 'MD5' };

  const value = buildDigestAuthorization({
    challenge,
    credentials: { username: 'ad"min', password: 'secret' },
    method: 'NOTIFY',
    uri: 'sip:1001@192.0.2.20:5060',
    cnonce: 'c1',
  });

  t.match(value, /^Digest username="ad\\"min", realm="htek", nonce="abc", uri="sip:1001@192\.0\.2\.20:5060", response="[0-9a-f]{32}", algorithm=MD5/);
  t.match(value, /, opaque="op"/);
  t.match(value, /, qop=auth, nc=00000001, cnonce="c1"$/, 'auth is chosen over auth-int');
  t.notMatch(value, /secret/, 'the password is not on the wire');
});

t.test('buildDigestAuthorization without qop', async (t) => {
  const challenge: DigestChallenge = { realm: 'htek', nonce: 'abc', qopOptions: [], algorithm: 'MD5' };

  const value = buildDigestAuthorization({ challenge, credentials: mufasa, method: 'NOTIFY', uri: 'sip:192.0.2.20:5060' });

  t.notMatch(value, /qop=|nc=|cnonce=|opaque=/);
});

t.test('buildDigestAuthorization MD5-sess', async (t) => {
  const challenge: DigestChallenge = { realm: 'htek', nonce: 'abc', qopOptions: [], algorithm: 'MD5-SESS' };
  const input = { challenge, credentials: mufasa, method: 'NOTIFY', uri: 'sip:192.0.2.20:5060', cnonce: 'c1' };

  const value = buildDigestAuthorization(input);
  const plainMd5 = computeDigestResponse({ ...input, challenge: { ...challenge, algorithm: 'MD5' }, nonceCount: 1 });

  t.match(value, /algorithm=MD5-sess/);
  t.match(value, /cnonce="c1"/, 'MD5-sess sends the cnonce it hashed into HA1');
  t.notMatch(value, new RegExp(plainMd5), 'the session key changes the response');
});
