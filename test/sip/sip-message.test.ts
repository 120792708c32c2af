import t from 'tap';

import {
  buildNotify,
  buildRequestUri,
  firstHeader,
  newBranch,
  parseCSeq,
  parseResponse,
  SipParseError,
  splitOutsideQuotes,
  takeStreamMessage,
  topViaBranch,
  type NotifyRequestFields,
} from '../../src/sip/sip-message.js';

const baseFields: NotifyRequestFields = {
  requestUri: 'sip:1001@192.0.2.20:5060',
  transport: 'udp',
  sentBy: { host: '192.0.2.1', port: 5070 },
  branch: 'z9hG4bKabc123',
  fromTag: 'tag42',
  callId: 'call-1',
  cseq: 1,
  reboot: false,
};

function headerLines(text: string): string[] {
  return text.split('\r\n');
}

t.test('buildNotify header lines', async (t) => {
  const lines = headerLines(buildNotify(baseFields));

  t.equal(lines[0], 'NOTIFY sip:1001@192.0.2.20:5060 SIP/2.0');
  t.ok(lines.includes('Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKabc123;rport'));
  t.ok(lines.includes('Max-Forwards: 70'));
  t.ok(lines.includes('From: <sip:htek-dms@192.0.2.1:5070>;tag=tag42'));
  t.ok(lines.includes('To: <sip:1001@192.0.2.20:5060>'));
  t.ok(lines.includes('Call-ID: call-1'));
  t.ok(lines.includes('CSeq: 1 NOTIFY'));
  t.ok(lines.includes('Contact: <sip:htek-dms@192.0.2.1:5070>'));
  t.ok(lines.includes('Event: check-sync'));
  t.ok(lines.includes('Subscription-State: terminated'));
  t.ok(lines.includes('User-Agent: htek-dms'));
  t.ok(buildNotify(baseFields).endsWith('Content-Length: 0\r\n\r\n'), 'ends with Content-Length 0 and a blank line');
  t.notOk(lines.some((line) => line.startsWith('Authorization')), 'no Authorization without a challenge');
});

t.test('buildNotify reboot, TCP and authorization', async (t) => {
  const text = buildNotify({
    ...baseFields,
    transport: 'tcp',
    reboot: true,
    cseq: 2,
    authorization: { headerName: 'Proxy-Authorization', value: 'Digest username="admin"' },
  });
  const lines = headerLines(text);

  t.ok(lines.includes('Event: check-sync;reboot=true'));
  t.ok(lines.includes('Via: SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bKabc123;rport'));
  t.ok(lines.includes('Contact: <sip:htek-dms@192.0.2.1:5070;transport=tcp>'));
  t.ok(lines.includes('CSeq: 2 NOTIFY'));
  t.ok(lines.includes('Proxy-Authorization: Digest username="admin"'));
});

t.test('buildNotify IPv6 sent-by', async (t) => {
  const text = buildNotify({ ...baseFields, sentBy: { host: '2001:db8::1', port: 5060 } });

  t.match(text, /^Via: SIP\/2\.0\/UDP \[2001:db8::1\]:5060;/m);
});

t.test('buildRequestUri forms', async (t) => {
  t.equal(buildRequestUri('192.0.2.20', 5060), 'sip:192.0.2.20:5060');
  t.equal(buildRequestUri('192.0.2.20', 5060, ''), 'sip:192.0.2.20:5060', 'empty user is left out');
  t.equal(buildRequestUri('phone.example.com', 5062, '1001'), 'sip:1001@phone.example.com:5062');
  t.equal(buildRequestUri('::1', 5060, 'desk'), 'sip:desk@[::1]:5060');
  t.equal(buildRequestUri('192.0.2.20', 5060, 'a b@c'), 'sip:a%20b%40c@192.0.2.20:5060', 'space and @ are escaped');
  t.equal(buildRequestUri('192.0.2.20', 5060, 'ü'), 'sip:%C3%BC@192.0.2.20:5060', 'UTF-8 bytes are escaped');
});

t.test('newBranch magic cookie', async (t) => {
  const first = newBranch();
  const second = newBranch();

  t.match(first, /^z9hG4bK[0-9a-f]{24}$/);
  t.not(first, second);
});

t.test('parseResponse status line and headers', async (t) => {
  const response = parseResponse(
    Buffer.from(
      'SIP/2.0 489 Bad Event\r\n' +
        'Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKone;rport=5070;received=192.0.2.1\r\n' +
        'CSeq: 7 NOTIFY\r\n' +
        'Call-ID: abc\r\n' +
        'Content-Length: 0\r\n\r\n',
    ),
  );

  t.equal(response.status, 489);
  t.equal(response.reason, 'Bad Event');
  t.equal(topViaBranch(response), 'z9hG4bKone');
  t.same(parseCSeq(response), { sequence: 7, method: 'NOTIFY' });
  t.equal(firstHeader(response, 'call-id'), 'abc');
  t.equal(response.body.length, 0);
});

t.test('parseResponse compact header names', async (t) => {
  const response = parseResponse(
    Buffer.from(
      'SIP/2.0 200 OK\r\n' +
        'v: SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bKcompact\r\n' +
        'i: compact-call\r\n' +
        'f: <sip:htek-dms@192.0.2.1>;tag=1\r\n' +
        't: <sip:1001@192.0.2.20>;tag=2\r\n' +
        'CSeq: 1 NOTIFY\r\n' +
        'l: 0\r\n\r\n',
    ),
  );

  t.equal(topViaBranch(response), 'z9hG4bKcompact');
  t.equal(firstHeader(response, 'call-id'), 'compact-call');
  t.equal(firstHeader(response, 'from'), '<sip:htek-dms@192.0.2.1>;tag=1');
  t.equal(firstHeader(response, 'to'), '<sip:1001@192.0.2.20>;tag=2');
  t.equal(firstHeader(response, 'content-length'), '0');
});

t.test('parseResponse folded header lines', async (t) => {
  const response = parseResponse(
    Buffer.from(
      'SIP/2.0 401 Unauthorized\r\n' +
        'WWW-Authenticate: Digest realm="htek",\r\n' +
        '  nonce="abc",\r\n' +
        '\tqop="auth"\r\n' +
        'Via: SIP/2.0/UDP 192.0.2.1:5070\r\n' +
        ' ;branch=z9hG4bKfolded\r\n' +
        'CSeq: 1 NOTIFY\r\n\r\n',
    ),
  );

  t.equal(firstHeader(response, 'www-authenticate'), 'Digest realm="htek", nonce="abc", qop="auth"');
  t.equal(topViaBranch(response), 'z9hG4bKfolded');
});

t.test('parseResponse Via lists and repeated headers', async (t) => {
  const response = parseResponse(
    Buffer.from(
      'SIP/2.0 200 OK\r\n' +
        'Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKtop, SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKlower\r\n' +
        'Via: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bKthird\r\n' +
        'WWW-Authenticate: Digest realm="a", nonce="1"\r\n' +
        'WWW-Authenticate: Digest realm="b", nonce="2"\r\n' +
        'CSeq: 1 NOTIFY\r\n\r\n',
    ),
  );

  t.equal(topViaBranch(response), 'z9hG4bKtop');
  t.equal(response.headers.get('via')?.length, 2);
  t.equal(response.headers.get('www-authenticate')?.length, 2);
});

t.test('parseResponse bare LF line ends', async (t) => {
  const response = parseResponse(Buffer.from('SIP/2.0 100 Trying\nCSeq: 1 NOTIFY\n\n'));

  t.equal(response.status, 100);
  t.equal(response.reason, 'Trying');
  t.same(parseCSeq(response), { sequence: 1, method: 'NOTIFY' });
});

t.test('parseResponse rejects malformed messages', async (t) => {
  t.throws(() => parseResponse(Buffer.from('NOTIFY sip:a@b SIP/2.0\r\n\r\n')), SipParseError, 'a request');
  t.throws(() => parseResponse(Buffer.from('SIP/2.0 99 Odd\r\n\r\n')), SipParseError, 'a two-digit status');
  t.throws(() => parseResponse(Buffer.from('SIP/2.0 200 OK\r\nno colon here\r\n\r\n')), SipParseError, 'a header without colon');
});

t.test('parseResponse missing Via and CSeq', async (t) => {
  const response = parseResponse(Buffer.from('SIP/2.0 200 OK\r\nCSeq: garbage\r\n\r\n'));

  t.equal(topViaBranch(response), undefined);
  t.equal(parseCSeq(response), undefined);
});

t.test('splitOutsideQuotes keeps quoted separators', async (t) => {
  t.same(splitOutsideQuotes('a="1,2", b=3', ','), ['a="1,2"', 'b=3']);
  t.same(splitOutsideQuotes('a="x\\"y,z", b', ','), ['a="x\\"y,z"', 'b']);
});

t.test('takeStreamMessage framing', async (t) => {
  const first = 'SIP/2.0 100 Trying\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n';
  const second = 'SIP/2.0 200 OK\r\nCSeq: 1 NOTIFY\r\nl: 5\r\n\r\nhello';
  const stream = Buffer.from('\r\n\r\n' + first + second + 'SIP/2.0 4');

  const firstMessage = takeStreamMessage(stream);
  t.equal(firstMessage?.message.toString(), first, 'keep-alive CRLFs are skipped and the first message is cut');

  const next = takeStreamMessage(firstMessage?.rest ?? Buffer.alloc(0));
  t.equal(next?.message.toString(), second, 'the body is cut by Content-Length');
  t.equal(next?.rest.toString(), 'SIP/2.0 4', 'the partial message stays in the buffer');

  t.equal(takeStreamMessage(next?.rest ?? Buffer.alloc(0)), undefined, 'a partial header section is incomplete');
  t.equal(takeStreamMessage(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nshort')), undefined, 'a short body is incomplete');
});

t.test('takeStreamMessage broken streams', async (t) => {
  t.throws(() => takeStreamMessage(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: ten\r\n\r\n')), SipParseError);
  t.throws(() => takeStreamMessage(Buffer.alloc(70 * 1024, 'a')), SipParseError, 'headers over 64 KiB');
});
