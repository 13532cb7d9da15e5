// Names for analysis rows: which cells are looked up, which names are shown.
import assert from 'node:assert/strict';
import { shownNames, tableAddresses } from '../../src/network/tableNames';
import type { AddressName } from '../../src/network/owners';

describe('network: names of analysis rows', () => {
  it('takes address and interface columns of the first rows, once each, never "-" or numbers', () => {
    const table = {
      columns: [
        { field: 'srcAddr', title: 'Source', type: 'address' as const },
        { field: 'interfaceId', title: 'Interface', type: 'text' as const },
        { field: 'bytes', title: 'Bytes', type: 'number' as const },
        { field: 'action', title: 'Action', type: 'text' as const },
      ],
      rows: [
        ['10.0.0.1', 'eni-0123456789abcdef0', 5, 'ACCEPT'],
        ['10.0.0.1', '-', 7, 'REJECT'],
        ['10.0.0.2', null, 1, 'ACCEPT'],
      ],
    };
    assert.deepEqual(tableAddresses(table), ['10.0.0.1', 'eni-0123456789abcdef0', '10.0.0.2']);
    assert.deepEqual(tableAddresses(table, 1), ['10.0.0.1', 'eni-0123456789abcdef0']);
  });

  it('shows owners, AWS services and VPCs; not "public", "private range" or interfaces not found', () => {
    const names = new Map<string, AddressName>([
      ['10.0.0.1', { address: '10.0.0.1', kind: 'instance', label: 'web-1 (i-0123456789abcdef0)' }],
      ['52.94.0.1', { address: '52.94.0.1', kind: 'aws-service', label: 'AWS S3' }],
      ['198.51.100.1', { address: '198.51.100.1', kind: 'public', label: 'public' }],
      ['192.168.0.1', { address: '192.168.0.1', kind: 'private', label: 'private range' }],
      ['eni-00000000000000000', { address: 'eni-00000000000000000', kind: 'other-interface', label: 'eni-00000000000000000 (not found)' }],
    ]);
    assert.deepEqual(shownNames(names), { '10.0.0.1': 'web-1 (i-0123456789abcdef0)', '52.94.0.1': 'AWS S3' });
  });
});
