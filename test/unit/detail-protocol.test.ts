import * as assert from 'node:assert/strict';
import { MAX_TAG_VALUE_LENGTH, parseFromPanel } from '../../src/webviews/detail/protocol';

describe('parseFromPanel', () => {
  const valid: Array<[unknown, unknown]> = [
    [{ type: 'ready' }, { type: 'ready' }],
    [{ type: 'refresh' }, { type: 'refresh' }],
    [{ type: 'filterByResource' }, { type: 'filterByResource' }],
    [
      { type: 'copy', field: 'arn' },
      { type: 'copy', field: 'arn' },
    ],
    [
      { type: 'copy', field: 'id' },
      { type: 'copy', field: 'id' },
    ],
    [
      { type: 'copy', field: 'resourceId' },
      { type: 'copy', field: 'resourceId' },
    ],
    [
      { type: 'copy', field: 'destination' },
      { type: 'copy', field: 'destination' },
    ],
    [
      { type: 'copy', field: 'role' },
      { type: 'copy', field: 'role' },
    ],
    [
      { type: 'copy', field: 'crossAccountRole' },
      { type: 'copy', field: 'crossAccountRole' },
    ],
    [
      { type: 'copy', field: 'tagValue', value: 'prod' },
      { type: 'copy', field: 'tagValue', value: 'prod' },
    ],
    [
      { type: 'copy', field: 'tagValue', value: '' },
      { type: 'copy', field: 'tagValue', value: '' },
    ],
    [
      { type: 'copy', field: 'tagValue', value: 'x'.repeat(MAX_TAG_VALUE_LENGTH) },
      { type: 'copy', field: 'tagValue', value: 'x'.repeat(MAX_TAG_VALUE_LENGTH) },
    ],
    [
      { type: 'openConsole', target: 'flowLog' },
      { type: 'openConsole', target: 'flowLog' },
    ],
    [
      { type: 'openConsole', target: 'resource' },
      { type: 'openConsole', target: 'resource' },
    ],
    [
      { type: 'openConsole', target: 'destination' },
      { type: 'openConsole', target: 'destination' },
    ],
    // extra keys are dropped, not passed on
    [{ type: 'refresh', extra: 1 }, { type: 'refresh' }],
    [
      { type: 'copy', field: 'arn', value: 'ignored' },
      { type: 'copy', field: 'arn' },
    ],
    [JSON.parse('{"type":"ready"}'), { type: 'ready' }],
    [Object.assign(Object.create(null), { type: 'ready' }), { type: 'ready' }],
  ];
  valid.forEach(([raw, expected], i) => {
    it(`accepts valid message #${i}: ${JSON.stringify(raw).slice(0, 60)}`, () => {
      assert.deepEqual(parseFromPanel(raw), expected);
    });
  });

  const invalid: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'refresh'],
    ['a number', 1],
    ['an array', [{ type: 'refresh' }]],
    ['no type', {}],
    ['unknown type', { type: 'deleteFlowLog' }],
    ['type of wrong type', { type: 1 }],
    // The old shape (keyed by command) is not a message any more: one validation style, by type.
    ['the old command key', { command: 'refresh' }],
    ['the old command key on copy', { command: 'copy', field: 'arn' }],
    ['type with different case', { type: 'Refresh' }],
    ['copy without field', { type: 'copy' }],
    ['copy with unknown field', { type: 'copy', field: 'secretKey' }],
    ['copy with field of wrong type', { type: 'copy', field: ['arn'] }],
    ['tagValue without value', { type: 'copy', field: 'tagValue' }],
    ['tagValue with number', { type: 'copy', field: 'tagValue', value: 5 }],
    ['tagValue with object', { type: 'copy', field: 'tagValue', value: { toString: () => 'x' } }],
    ['tagValue too long', { type: 'copy', field: 'tagValue', value: 'x'.repeat(MAX_TAG_VALUE_LENGTH + 1) }],
    ['huge tagValue', { type: 'copy', field: 'tagValue', value: 'x'.repeat(10_000_000) }],
    ['openConsole without target', { type: 'openConsole' }],
    ['openConsole with URL target', { type: 'openConsole', target: 'https://evil.example' }],
    ['__proto__ key (JSON)', JSON.parse('{"type":"refresh","__proto__":{"polluted":true}}')],
    ['constructor key', { type: 'refresh', constructor: { prototype: {} } }],
    ['prototype key', { type: 'refresh', prototype: {} }],
    ['inherited type', Object.create({ type: 'refresh' })],
    [
      'class instance',
      new (class M {
        type = 'refresh';
      })(),
    ],
    ['Date', new Date()],
    ['symbol key', { type: 'refresh', [Symbol('x')]: 1 }],
    ['too many keys', Object.fromEntries([['type', 'refresh'], ...Array.from({ length: 20 }, (_, i) => [`k${i}`, i])])],
    [
      'throwing getter',
      Object.defineProperty({}, 'type', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      }),
    ],
  ];
  for (const [name, raw] of invalid) {
    it(`rejects ${name}`, () => assert.equal(parseFromPanel(raw), undefined));
  }

  it('returns a fresh object, not the input', () => {
    const raw = { type: 'copy', field: 'tagValue', value: 'v' };
    const parsed = parseFromPanel(raw);
    assert.notEqual(parsed, raw);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });

  it('did not pollute Object.prototype', () => {
    parseFromPanel(JSON.parse('{"type":"refresh","__proto__":{"polluted":true}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
