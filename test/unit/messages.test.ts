import * as assert from 'node:assert/strict';
import { MAX_TAG_VALUE_LENGTH, parseWebviewMessage } from '../../src/webview/messages';

describe('parseWebviewMessage', () => {
  const valid: Array<[unknown, unknown]> = [
    [{ command: 'ready' }, { command: 'ready' }],
    [{ command: 'refresh' }, { command: 'refresh' }],
    [{ command: 'filterByResource' }, { command: 'filterByResource' }],
    [
      { command: 'copy', field: 'arn' },
      { command: 'copy', field: 'arn' },
    ],
    [
      { command: 'copy', field: 'id' },
      { command: 'copy', field: 'id' },
    ],
    [
      { command: 'copy', field: 'resourceId' },
      { command: 'copy', field: 'resourceId' },
    ],
    [
      { command: 'copy', field: 'destination' },
      { command: 'copy', field: 'destination' },
    ],
    [
      { command: 'copy', field: 'role' },
      { command: 'copy', field: 'role' },
    ],
    [
      { command: 'copy', field: 'crossAccountRole' },
      { command: 'copy', field: 'crossAccountRole' },
    ],
    [
      { command: 'copy', field: 'tagValue', value: 'prod' },
      { command: 'copy', field: 'tagValue', value: 'prod' },
    ],
    [
      { command: 'copy', field: 'tagValue', value: '' },
      { command: 'copy', field: 'tagValue', value: '' },
    ],
    [
      { command: 'copy', field: 'tagValue', value: 'x'.repeat(MAX_TAG_VALUE_LENGTH) },
      { command: 'copy', field: 'tagValue', value: 'x'.repeat(MAX_TAG_VALUE_LENGTH) },
    ],
    [
      { command: 'openConsole', target: 'flowLog' },
      { command: 'openConsole', target: 'flowLog' },
    ],
    [
      { command: 'openConsole', target: 'resource' },
      { command: 'openConsole', target: 'resource' },
    ],
    [
      { command: 'openConsole', target: 'destination' },
      { command: 'openConsole', target: 'destination' },
    ],
    // extra keys are dropped, not passed on
    [{ command: 'refresh', extra: 1 }, { command: 'refresh' }],
    [
      { command: 'copy', field: 'arn', value: 'ignored' },
      { command: 'copy', field: 'arn' },
    ],
    [JSON.parse('{"command":"ready"}'), { command: 'ready' }],
    [Object.assign(Object.create(null), { command: 'ready' }), { command: 'ready' }],
  ];
  valid.forEach(([raw, expected], i) => {
    it(`accepts valid message #${i}: ${JSON.stringify(raw).slice(0, 60)}`, () => {
      assert.deepEqual(parseWebviewMessage(raw), expected);
    });
  });

  const invalid: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'refresh'],
    ['a number', 1],
    ['an array', [{ command: 'refresh' }]],
    ['no command', {}],
    ['unknown command', { command: 'deleteFlowLog' }],
    ['command of wrong type', { command: 1 }],
    ['command with different case', { command: 'Refresh' }],
    ['copy without field', { command: 'copy' }],
    ['copy with unknown field', { command: 'copy', field: 'secretKey' }],
    ['copy with field of wrong type', { command: 'copy', field: ['arn'] }],
    ['tagValue without value', { command: 'copy', field: 'tagValue' }],
    ['tagValue with number', { command: 'copy', field: 'tagValue', value: 5 }],
    ['tagValue with object', { command: 'copy', field: 'tagValue', value: { toString: () => 'x' } }],
    ['tagValue too long', { command: 'copy', field: 'tagValue', value: 'x'.repeat(MAX_TAG_VALUE_LENGTH + 1) }],
    ['huge tagValue', { command: 'copy', field: 'tagValue', value: 'x'.repeat(10_000_000) }],
    ['openConsole without target', { command: 'openConsole' }],
    ['openConsole with URL target', { command: 'openConsole', target: 'https://evil.example' }],
    ['__proto__ key (JSON)', JSON.parse('{"command":"refresh","__proto__":{"polluted":true}}')],
    ['constructor key', { command: 'refresh', constructor: { prototype: {} } }],
    ['prototype key', { command: 'refresh', prototype: {} }],
    ['inherited command', Object.create({ command: 'refresh' })],
    [
      'class instance',
      new (class M {
        command = 'refresh';
      })(),
    ],
    ['Date', new Date()],
    ['symbol key', { command: 'refresh', [Symbol('x')]: 1 }],
    ['too many keys', Object.fromEntries([['command', 'refresh'], ...Array.from({ length: 20 }, (_, i) => [`k${i}`, i])])],
    [
      'throwing getter',
      Object.defineProperty({}, 'command', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      }),
    ],
  ];
  for (const [name, raw] of invalid) {
    it(`rejects ${name}`, () => assert.equal(parseWebviewMessage(raw), undefined));
  }

  it('returns a fresh object, not the input', () => {
    const raw = { command: 'copy', field: 'tagValue', value: 'v' };
    const parsed = parseWebviewMessage(raw);
    assert.notEqual(parsed, raw);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });

  it('did not pollute Object.prototype', () => {
    parseWebviewMessage(JSON.parse('{"command":"refresh","__proto__":{"polluted":true}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
