// The records panel's address names and Explain (issue 27 items 2 and 4): the page's new messages
// are validated (anything not exactly of a known shape dropped), the name map the panel posts holds
// only what was asked, as text, with console IDs the panel can open; the name columns are offered
// in the chooser after the 5-tuple and never shown by default.
import assert from 'node:assert/strict';
import { parseFromPanel as parseRecordsMessage } from '../../src/webviews/records/protocol';
import { buildNameMap, isNameableAddress, MAX_NAME_ADDRESSES, resourcePageUrl } from '../../src/network/pageNames';
import type { AddressName } from '../../src/network/owners';
import {
  chooserOrder,
  defaultColumnOrder,
  DESTINATION_NAME,
  nameColumns,
  resourceFilterValue,
  shownColumns,
  SOURCE_NAME,
} from '../../src/webviews/records/pageText';
import { recordLayout } from '../../src/shared/recordsFields';

const DEFAULT = recordLayout(undefined).fields.map((f) => f.name);

describe('records panel: address names and Explain', () => {
  it('a names request: addresses and eni- IDs, de-duplicated; at most 500; anything else dropped', () => {
    assert.deepEqual(parseRecordsMessage({ type: 'names', addresses: ['10.0.1.5', '2001:db8::1', 'eni-0123456789abcdef0', '10.0.1.5'] }), {
      type: 'names',
      addresses: ['10.0.1.5', '2001:db8::1', 'eni-0123456789abcdef0'],
    });
    const many = Array.from({ length: MAX_NAME_ADDRESSES }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    assert.equal((parseRecordsMessage({ type: 'names', addresses: many }) as { addresses: string[] }).addresses.length, 500);
    for (const bad of [
      { type: 'names' },
      { type: 'names', addresses: [] },
      { type: 'names', addresses: [...many, '10.9.9.9'] },
      { type: 'names', addresses: '10.0.1.5' },
      { type: 'names', addresses: ['10.0.1.5', 7] },
      { type: 'names', addresses: ['<img src=x>'] },
      { type: 'names', addresses: ['__proto__'] },
      { type: 'names', addresses: ['-'] },
      { type: 'names', addresses: ['i-0123456789abcdef0'] },
      { type: 'names', addresses: ['1'.repeat(46) + '.'] },
    ])
      assert.equal(parseRecordsMessage(bad), undefined, JSON.stringify(bad).slice(0, 80));
    assert.ok(isNameableAddress('10.0.0.1') && isNameableAddress('fe80::1') && !isNameableAddress('hello'));
  });

  it('an explain request: only the record fields Explain reads, as text, with an interface ID', () => {
    const record = {
      'interface-id': 'eni-0123456789abcdef0',
      srcaddr: '203.0.113.9',
      dstaddr: '10.0.1.5',
      protocol: '6',
      action: 'REJECT',
    };
    assert.deepEqual(parseRecordsMessage({ type: 'explain', record }), { type: 'explain', record });
    for (const bad of [
      { type: 'explain' },
      { type: 'explain', record: { srcaddr: '1.2.3.4' } }, // no interface
      { type: 'explain', record: { ...record, account: '123456789012' } }, // a field Explain does not read
      { type: 'explain', record: { ...record, srcport: 22 } }, // not text
      { type: 'explain', record: { ...record, srcaddr: 'x'.repeat(101) } },
      { type: 'explain', record: [record] },
      { type: 'explain', record: JSON.parse('{"__proto__": {"x": 1}, "interface-id": "eni-0123456789abcdef0"}') },
    ])
      assert.equal(parseRecordsMessage(bad), undefined, JSON.stringify(bad).slice(0, 80));
  });

  it('an open request names a resource ID, never a URL; the panel builds the link', () => {
    assert.deepEqual(parseRecordsMessage({ type: 'openResource', id: 'i-0123456789abcdef0' }), {
      type: 'openResource',
      id: 'i-0123456789abcdef0',
    });
    for (const id of ['https://evil.example', 'i-XYZ', 'eni-0123456789abcdef0/../x', 7, undefined])
      assert.equal(parseRecordsMessage({ type: 'openResource', id }), undefined, String(id));
    assert.equal(
      resourcePageUrl('us-east-1', 'i-0123456789abcdef0'),
      'https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#InstanceDetails:instanceId=i-0123456789abcdef0',
    );
    assert.match(
      resourcePageUrl('eu-west-1', 'subnet-0123456789abcdef0') ?? '',
      /vpcconsole\/home\?region=eu-west-1#SubnetDetails:subnetId=subnet-/,
    );
    assert.equal(resourcePageUrl('not a region', 'i-0123456789abcdef0'), undefined);
    assert.equal(resourcePageUrl('us-east-1', 'lambda-thing'), undefined);
  });

  it('the name map holds only the addresses asked, as small text records with openable IDs', () => {
    const web: AddressName = {
      address: '10.0.1.5',
      kind: 'instance',
      label: 'web-1 (i-0123456789abcdef0)',
      interfaceId: 'eni-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      subnetId: 'subnet-0123456789abcdef0',
      vpcId: 'vpc-0123456789abcdef0',
      groups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: 'web' }, { GroupId: 'sg-0123456789abcdef1' }],
      interfaceAddresses: ['10.0.1.5', '54.1.2.3', 'not an address'],
    };
    const pub: AddressName = { address: '203.0.113.9', kind: 'public', label: 'public' };
    const names = new Map([
      ['10.0.1.5', web],
      ['203.0.113.9', pub],
      ['10.0.9.9', { ...pub, address: '10.0.9.9' }],
    ]);
    const map = buildNameMap('us-east-1', ['10.0.1.5', '203.0.113.9', '10.0.2.2'], { names });
    assert.deepEqual(Object.keys(map).sort(), ['10.0.1.5', '203.0.113.9'], 'not asked, not sent; unknown, absent');
    assert.deepEqual(map['10.0.1.5'], {
      label: 'web-1 (i-0123456789abcdef0)',
      kind: 'instance',
      interfaceId: 'eni-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      subnetId: 'subnet-0123456789abcdef0',
      vpcId: 'vpc-0123456789abcdef0',
      groups: ['sg-0123456789abcdef0 (web)', 'sg-0123456789abcdef1'],
      addresses: ['10.0.1.5', '54.1.2.3'],
      openable: ['i-0123456789abcdef0', 'eni-0123456789abcdef0', 'subnet-0123456789abcdef0'],
    });
    assert.deepEqual(map['203.0.113.9'], { label: 'public', kind: 'public' });
    assert.equal(Object.getPrototypeOf(map), null);
    const many = Array.from({ length: 600 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    const all = new Map(many.map((a) => [a, { ...pub, address: a }]));
    assert.equal(Object.keys(buildNameMap('us-east-1', many, { names: all })).length, MAX_NAME_ADDRESSES);
  });

  it('name columns: offered after the 5-tuple in the chooser, kept when chosen, never shown by default', () => {
    assert.deepEqual(nameColumns(DEFAULT), [SOURCE_NAME, DESTINATION_NAME]);
    assert.deepEqual(nameColumns(['version', 'interface-id']), []);
    assert.deepEqual(nameColumns(['pkt-srcaddr']), [SOURCE_NAME]);
    assert.ok(!defaultColumnOrder(DEFAULT).includes(SOURCE_NAME));
    assert.deepEqual(shownColumns(DEFAULT, null), defaultColumnOrder(DEFAULT));
    const shown = shownColumns(DEFAULT, ['srcaddr', SOURCE_NAME, 'dstaddr', DESTINATION_NAME]);
    assert.deepEqual(shown, ['srcaddr', SOURCE_NAME, 'dstaddr', DESTINATION_NAME]);
    assert.deepEqual(shownColumns(['version', 'interface-id'], [SOURCE_NAME, 'version']), ['version'], 'no address field: no name column');
    const order = chooserOrder(DEFAULT, defaultColumnOrder(DEFAULT));
    assert.deepEqual(order.slice(-2), [SOURCE_NAME, DESTINATION_NAME], 'every field shown: the name columns are the ones left to check');
    const hidden = chooserOrder(DEFAULT, ['srcaddr']);
    assert.deepEqual(hidden.slice(0, 7), ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', SOURCE_NAME, DESTINATION_NAME]);
  });

  it('filter by this resource: every address of the resource, the record own first, as an any-of list', () => {
    assert.equal(resourceFilterValue('10.0.1.5', ['54.1.2.3', '10.0.1.5', '2001:db8::5']), '10.0.1.5,54.1.2.3,2001:db8::5');
    assert.equal(resourceFilterValue('10.0.1.5', undefined), '10.0.1.5');
    assert.equal(resourceFilterValue('10.0.1.5', ['54.1.2.3'], true), '!10.0.1.5,54.1.2.3');
    assert.equal(resourceFilterValue('10.0.1.5', ['a,b', '10.0.9.9']), '10.0.1.5,10.0.9.9', 'nothing but addresses reaches the filter');
  });
});
