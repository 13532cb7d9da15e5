import * as assert from 'node:assert/strict';
import {
  enumValuesTyped,
  FILTER_DEFINITIONS,
  findFilterDefinition,
  isFlowLogId,
  validateFilterName,
  validateFilterValue,
  validateTagKey,
} from '../../src/filters/filterDefinitions';
import {
  addFilter,
  describeFilter,
  describeFilterSet,
  deserialize,
  EMPTY_FILTER_SET,
  equals,
  FilterSet,
  FlowLogFilter,
  isEmpty,
  Outcome,
  parsePresets,
  removeFilter,
  replaceFilter,
  serialize,
  toQuery,
  validateFilter,
  withFlowLogIds,
} from '../../src/filters/filterSet';

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) assert.fail(`expected success, got: ${outcome.error}`);
  return outcome.value;
}

function error<T>(outcome: Outcome<T>): string {
  if (outcome.ok) assert.fail('expected an error');
  return outcome.error;
}

/** Builds a set by adding each filter in turn. */
function setOf(filters: FlowLogFilter[], flowLogIds: string[] = []): FilterSet {
  const set = filters.reduce((acc, f) => value(addFilter(acc, f)), EMPTY_FILTER_SET);
  return value(withFlowLogIds(set, flowLogIds));
}

describe('filter definitions', () => {
  it('define the eight DescribeFlowLogs filters', () => {
    assert.deepEqual(
      FILTER_DEFINITIONS.map((d) => d.name),
      ['deliver-log-status', 'log-destination-type', 'flow-log-id', 'log-group-name', 'resource-id', 'traffic-type', 'tag:', 'tag-key'],
    );
    assert.ok(FILTER_DEFINITIONS.every((d) => d.label !== '' && d.description !== '' && d.example !== ''));
  });

  it('list enum values with descriptions', () => {
    const values = (name: string) => findFilterDefinition(name)?.enumValues?.map((e) => e.value);
    assert.deepEqual(values('deliver-log-status'), ['SUCCESS', 'FAILED']);
    assert.deepEqual(values('log-destination-type'), ['cloud-watch-logs', 's3', 'kinesis-data-firehose']);
    assert.deepEqual(values('traffic-type'), ['ACCEPT', 'REJECT', 'ALL']);
    assert.equal(values('resource-id'), undefined);
    assert.ok(findFilterDefinition('traffic-type')?.enumValues?.every((e) => e.description !== ''));
  });

  it('find the tag definition for tag:<key>, and nothing for unknown or wrongly cased names', () => {
    assert.equal(findFilterDefinition('tag:env')?.kind, 'tag');
    assert.equal(findFilterDefinition('tag-key')?.kind, 'tag-key');
    assert.equal(findFilterDefinition('Traffic-Type'), undefined);
    assert.equal(findFilterDefinition('vpc-id'), undefined);
  });

  it('recognise exact flow log IDs', () => {
    assert.equal(isFlowLogId('fl-1234abcd'), true);
    assert.equal(isFlowLogId('fl-0123456789abcdef0'), true);
    assert.equal(isFlowLogId('fl-123456789'), false);
    assert.equal(isFlowLogId('fl-1234ABCD'), false);
    assert.equal(isFlowLogId('fl-*'), false);
  });

  const valid: Array<[string, string]> = [
    ['flow-log-id', 'fl-1234abcd'],
    ['flow-log-id', 'fl-0123456789abcdef0'],
    ['flow-log-id', 'fl-*'],
    ['flow-log-id', '*'],
    ['flow-log-id', ' fl-1234abcd '],
    ['resource-id', 'vpc-0abc*'],
    ['resource-id', 'vpc-1234abcd'],
    ['resource-id', 'subnet-0123456789abcdef0'],
    ['resource-id', 'eni-????????'],
    ['resource-id', '*-1234abcd'],
    ['log-group-name', '/aws/vpc/flow-logs'],
    ['log-group-name', '/vpc/*'],
    ['log-group-name', 'a.b-c_d/e#f'],
    ['log-group-name', 'x'.repeat(512)],
    ['traffic-type', 'REJECT'],
    ['traffic-type', 'reject'],
    ['deliver-log-status', 'FAILED'],
    ['log-destination-type', 's3'],
    ['tag:env', 'prod'],
    ['tag:env', 'prod *'],
    ['tag:env', 'v'.repeat(256)],
    ['tag-key', 'aws:cloudformation:stack-name'],
    ['tag-key', 'k'.repeat(128)],
  ];
  for (const [name, v] of valid) {
    it(`accept ${name} = ${JSON.stringify(v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v)}`, () => {
      assert.equal(validateFilterValue(name, v), undefined);
    });
  }

  const invalid: Array<[string, string, RegExp]> = [
    ['flow-log-id', 'fl-123', /not a valid flow log ID: expected fl- followed by 8 or 17/],
    ['flow-log-id', 'fl-1234ABCD', /not a valid flow log ID/],
    ['flow-log-id', 'fl-123456789', /not a valid flow log ID/],
    ['flow-log-id', 'vpc-*', /not a valid flow log ID/],
    ['resource-id', 'vpc-xyz*', /not a valid resource ID: expected vpc- or subnet- or eni-/],
    ['resource-id', 'igw-1234abcd', /not a valid resource ID/],
    ['resource-id', 'vpc-1234abcd0', /not a valid resource ID/],
    ['log-group-name', 'bad name', /not a valid log group name/],
    ['log-group-name', 'x'.repeat(513), /513 characters long; the maximum is 512/],
    ['traffic-type', 'DENY', /use one of ACCEPT, REJECT, ALL/],
    ['traffic-type', 'A*', /use one of ACCEPT, REJECT, ALL/],
    ['deliver-log-status', 'OK', /use one of SUCCESS, FAILED/],
    ['log-destination-type', 'firehose', /use one of cloud-watch-logs, s3, kinesis-data-firehose/],
    ['tag:env', 'v'.repeat(257), /Tag value is 257 characters long; the maximum is 256/],
    ['tag:env', 'a\u0007b', /control characters/],
    ['tag-key', 'k'.repeat(129), /Tag key is 129 characters long; the maximum is 128/],
  ];
  for (const [name, v, message] of invalid) {
    it(`reject ${name} = ${JSON.stringify(v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v)}`, () => {
      assert.match(validateFilterValue(name, v) ?? '', message);
    });
  }

  it('reject empty and whitespace-only values with a clear message', () => {
    assert.equal(validateFilterValue('resource-id', ''), 'A value for resource-id cannot be empty or only spaces.');
    assert.equal(validateFilterValue('tag:env', ' \t\n'), 'A value for tag:env cannot be empty or only spaces.');
  });

  it('validate filter names and tag keys', () => {
    assert.equal(validateFilterName('traffic-type'), undefined);
    assert.equal(validateFilterName('tag:Owner'), undefined);
    assert.match(
      validateFilterName('vpc-id') ?? '',
      /^Unknown filter "vpc-id"\. Known filters: deliver-log-status, .*tag:<key>, tag-key\.$/,
    );
    assert.match(validateFilterName('tag:') ?? '', /needs a tag key after "tag:"\. A tag key cannot be empty/);
    assert.match(validateFilterName('tag:   ') ?? '', /needs a tag key/);
    assert.match(validateFilterName(`tag:${'k'.repeat(129)}`) ?? '', /maximum is 128/);
    assert.equal(validateFilterName(''), 'A filter needs a name.');
    assert.equal(validateTagKey('env'), undefined);
    assert.match(validateTagKey('') ?? '', /cannot be empty/);
  });
});

describe('FilterSet', () => {
  it('turns filters into the exact SDK filter list, in order, values trimmed and de-duplicated', () => {
    const set = setOf([
      { name: 'traffic-type', values: ['reject', 'REJECT', ' ACCEPT '] },
      { name: 'tag: env ', values: ['prod', 'staging', 'prod'] },
      { name: 'resource-id', values: ['vpc-0abc*', 'vpc-1234abcd'] },
      { name: 'tag-key', values: ['Owner'] },
    ]);
    assert.deepEqual(toQuery(set), {
      filters: [
        { Name: 'traffic-type', Values: ['REJECT', 'ACCEPT'] },
        { Name: 'tag:env', Values: ['prod', 'staging'] },
        { Name: 'resource-id', Values: ['vpc-0abc*', 'vpc-1234abcd'] },
        { Name: 'tag-key', Values: ['Owner'] },
      ],
    });
  });

  it('puts flow log IDs in the query only when there are some', () => {
    assert.deepEqual(toQuery(EMPTY_FILTER_SET), { filters: [] });
    assert.equal('flowLogIds' in toQuery(EMPTY_FILTER_SET), false);
    const set = setOf([{ name: 'log-destination-type', values: ['s3'] }], ['fl-1234abcd', 'fl-deadbeef', 'fl-1234abcd']);
    assert.deepEqual(toQuery(set), {
      filters: [{ Name: 'log-destination-type', Values: ['s3'] }],
      flowLogIds: ['fl-1234abcd', 'fl-deadbeef'],
    });
    assert.deepEqual(toQuery(value(withFlowLogIds(set, []))), { filters: [{ Name: 'log-destination-type', Values: ['s3'] }] });
  });

  it('rejects invalid flow log IDs', () => {
    assert.match(
      error(withFlowLogIds(EMPTY_FILTER_SET, ['fl-1234abcd', 'fl-nope', 'x', 'y', 'z'])),
      /Not valid flow log IDs: "fl-nope", "x", "y" and 1 more\./,
    );
  });

  it('rejects a duplicate filter, or merges when asked', () => {
    const set = setOf([{ name: 'tag:env', values: ['prod'] }]);
    assert.equal(
      error(addFilter(set, { name: 'tag:env', values: ['dev'] })),
      'There is already a tag:env filter: edit it, or add the values to it.',
    );
    const merged = value(addFilter(set, { name: 'tag:env', values: ['dev', 'prod'] }, { merge: true }));
    assert.deepEqual(toQuery(merged).filters, [{ Name: 'tag:env', Values: ['prod', 'dev'] }]);
    // Different tag keys are different filters.
    assert.equal(value(addFilter(set, { name: 'tag:team', values: ['net'] })).filters.length, 2);
  });

  it('refuses invalid filters with the validation message', () => {
    assert.equal(error(addFilter(EMPTY_FILTER_SET, { name: 'traffic-type', values: [] })), 'Filter traffic-type needs at least one value.');
    assert.equal(
      error(addFilter(EMPTY_FILTER_SET, { name: 'tag:env', values: ['prod', '  '] })),
      'A value for tag:env cannot be empty or only spaces.',
    );
    assert.match(error(addFilter(EMPTY_FILTER_SET, { name: 'flow-log-id', values: ['fl-12'] })), /not a valid flow log ID/);
    assert.match(error(addFilter(EMPTY_FILTER_SET, { name: 'tag:', values: ['x'] })), /needs a tag key/);
    assert.match(validateFilter({ name: 'nope', values: ['x'] }) ?? '', /Unknown filter "nope"/);
    assert.equal(validateFilter({ name: 'traffic-type', values: ['ALL'] }), undefined);
  });

  it('replaces a filter in place and refuses a clash or a missing filter', () => {
    const set = setOf([
      { name: 'traffic-type', values: ['ALL'] },
      { name: 'tag:env', values: ['prod'] },
    ]);
    const replaced = value(replaceFilter(set, 'traffic-type', { name: 'traffic-type', values: ['REJECT'] }));
    assert.deepEqual(toQuery(replaced).filters, [
      { Name: 'traffic-type', Values: ['REJECT'] },
      { Name: 'tag:env', Values: ['prod'] },
    ]);
    const renamed = value(replaceFilter(set, 'tag:env', { name: 'tag:stage', values: ['prod'] }));
    assert.deepEqual(
      renamed.filters.map((f) => f.name),
      ['traffic-type', 'tag:stage'],
    );
    assert.equal(
      error(replaceFilter(set, 'tag:env', { name: 'traffic-type', values: ['ALL'] })),
      'There is already a traffic-type filter.',
    );
    assert.equal(
      error(replaceFilter(set, 'resource-id', { name: 'resource-id', values: ['vpc-*'] })),
      'There is no resource-id filter to replace.',
    );
    assert.match(error(replaceFilter(set, 'traffic-type', { name: 'traffic-type', values: ['NONE'] })), /use one of/);
  });

  it('removes filters and never changes the original set', () => {
    const set = setOf([
      { name: 'traffic-type', values: ['ALL'] },
      { name: 'tag:env', values: ['prod'] },
    ]);
    const removed = removeFilter(set, 'traffic-type');
    assert.deepEqual(
      removed.filters.map((f) => f.name),
      ['tag:env'],
    );
    assert.equal(set.filters.length, 2);
    assert.equal(removeFilter(set, 'resource-id'), set);
    assert.ok(Object.isFrozen(set) && Object.isFrozen(set.filters) && Object.isFrozen(set.filters[0].values));
  });

  it('knows when it is empty', () => {
    assert.equal(isEmpty(EMPTY_FILTER_SET), true);
    assert.equal(isEmpty(setOf([{ name: 'traffic-type', values: ['ALL'] }])), false);
    assert.equal(isEmpty(setOf([], ['fl-1234abcd'])), false);
  });

  it('compares by meaning: order of filters, values and IDs does not matter', () => {
    const a = setOf(
      [
        { name: 'traffic-type', values: ['ACCEPT', 'REJECT'] },
        { name: 'tag:env', values: ['prod'] },
      ],
      ['fl-1234abcd', 'fl-deadbeef'],
    );
    const b = setOf(
      [
        { name: 'tag:env', values: ['prod'] },
        { name: 'traffic-type', values: ['REJECT', 'ACCEPT'] },
      ],
      ['fl-deadbeef', 'fl-1234abcd'],
    );
    assert.equal(equals(a, b), true);
    assert.equal(equals(a, removeFilter(b, 'tag:env')), false);
    assert.equal(equals(a, value(withFlowLogIds(b, ['fl-1234abcd']))), false);
    assert.equal(equals(EMPTY_FILTER_SET, setOf([])), true);
  });

  it('describes filters and sets briefly, values joined with |', () => {
    const set = setOf(
      [
        { name: 'traffic-type', values: ['REJECT'] },
        { name: 'tag:env', values: ['prod', 'staging'] },
      ],
      ['fl-00000001', 'fl-00000002', 'fl-00000003'],
    );
    assert.equal(describeFilterSet(set), 'traffic-type=REJECT · tag:env=prod|staging · 3 IDs');
    assert.equal(describeFilterSet(setOf([], ['fl-00000001'])), '1 ID');
    assert.equal(describeFilterSet(EMPTY_FILTER_SET), 'No filters');
    assert.equal(
      describeFilter({ name: 'resource-id', values: ['vpc-1', 'vpc-2', 'vpc-3', 'vpc-4', 'vpc-5'] }),
      'resource-id=vpc-1|vpc-2|vpc-3|+2 more',
    );
  });

  it('round-trips through serialize and deserialize', () => {
    const set = setOf(
      [
        { name: 'log-group-name', values: ['/vpc/*'] },
        { name: 'tag:team', values: ['net', 'sec'] },
      ],
      ['fl-0123456789abcdef0'],
    );
    const text = serialize(set);
    assert.deepEqual(JSON.parse(text), {
      version: 1,
      filters: [
        { name: 'log-group-name', values: ['/vpc/*'] },
        { name: 'tag:team', values: ['net', 'sec'] },
      ],
      flowLogIds: ['fl-0123456789abcdef0'],
    });
    const back = value(deserialize(text));
    assert.deepEqual(back, set);
    assert.equal(equals(back, set), true);
    assert.deepEqual(value(deserialize(serialize(EMPTY_FILTER_SET))), EMPTY_FILTER_SET);
  });

  const garbage: Array<[string, RegExp]> = [
    ['', /not valid JSON/],
    ['{not json', /not valid JSON/],
    ['null', /must be a JSON object/],
    ['[1,2]', /must be a JSON object/],
    ['"text"', /must be a JSON object/],
    ['{"filters":[]}', /version undefined; expected 1/],
    ['{"version":2,"filters":[]}', /version 2; expected 1/],
    ['{"version":1,"filters":"traffic-type"}', /"filters" must be a list/],
    ['{"version":1,"filters":[42]}', /Filter 1 must be an object with a "name" string/],
    [
      '{"version":1,"filters":[{"name":"traffic-type","values":"ALL"}]}',
      /Filter 1 \(traffic-type\) must have "values" as a list of strings/,
    ],
    ['{"version":1,"filters":[{"name":"traffic-type","values":[1]}]}', /list of strings/],
    [
      '{"version":1,"filters":[{"name":"traffic-type","values":["NOPE"]}]}',
      /Filter 1 \(traffic-type\): "NOPE" is not a valid traffic type/,
    ],
    [
      '{"version":1,"filters":[{"name":"tag:a","values":["x"]},{"name":"tag:a","values":["y"]}]}',
      /Filter 2 \(tag:a\): There is already a tag:a filter/,
    ],
    ['{"version":1,"filters":[],"flowLogIds":"fl-1234abcd"}', /"flowLogIds" must be a list of strings/],
    ['{"version":1,"filters":[],"flowLogIds":["fl-zz"]}', /Not valid flow log IDs: "fl-zz"/],
  ];
  for (const [text, message] of garbage) {
    it(`deserialize rejects ${JSON.stringify(text)} with a message`, () => {
      assert.match(error(deserialize(text)), message);
    });
  }
});

describe('parsePresets (object keyed by preset name)', () => {
  it('reads valid presets, in setting order', () => {
    const parsed = parsePresets({
      'Rejected traffic': { filters: [{ name: 'traffic-type', values: ['REJECT'] }] },
      'Failing prod': {
        filters: [
          { name: 'deliver-log-status', values: ['FAILED'] },
          { name: 'tag:env', values: ['prod'] },
        ],
        flowLogIds: ['fl-1234abcd'],
      },
      'Only IDs': { flowLogIds: ['fl-deadbeef'] },
    });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.presets.map((p) => p.name),
      ['Rejected traffic', 'Failing prod', 'Only IDs'],
    );
    assert.deepEqual(toQuery(parsed.presets[1].set), {
      filters: [
        { Name: 'deliver-log-status', Values: ['FAILED'] },
        { Name: 'tag:env', Values: ['prod'] },
      ],
      flowLogIds: ['fl-1234abcd'],
    });
    assert.deepEqual(toQuery(parsed.presets[2].set), { filters: [], flowLogIds: ['fl-deadbeef'] });
  });

  it('treats an unset setting as no presets', () => {
    assert.deepEqual(parsePresets(undefined), { presets: [], problems: [] });
    assert.deepEqual(parsePresets(null), { presets: [], problems: [] });
    assert.deepEqual(parsePresets({}), { presets: [], problems: [] });
  });

  it('reports a setting of the wrong shape', () => {
    assert.deepEqual(parsePresets([{ name: 'x', filters: [] }]), {
      presets: [],
      problems: ['filterPresets must be an object keyed by preset name, not a list.'],
    });
    assert.deepEqual(parsePresets('x').problems, ['filterPresets must be an object keyed by preset name, not a string.']);
    assert.deepEqual(parsePresets(7).problems, ['filterPresets must be an object keyed by preset name, not a number.']);
  });

  it('skips and reports invalid entries but keeps the valid ones', () => {
    const parsed = parsePresets({
      Good: { filters: [{ name: 'traffic-type', values: ['ALL'] }] },
      'Not an object': 'traffic-type=ALL',
      'Bad value': { filters: [{ name: 'traffic-type', values: ['MAYBE'] }] },
      'Bad name': { filters: [{ name: 'vpc-id', values: ['vpc-1234abcd'] }] },
      'Bad IDs': { flowLogIds: ['nope'] },
      '  ': { filters: [] },
      'Good ': { filters: [] },
    });
    assert.deepEqual(
      parsed.presets.map((p) => p.name),
      ['Good'],
    );
    assert.equal(parsed.problems.length, 6);
    assert.match(parsed.problems[0], /^Preset "Not an object" skipped: Expected an object/);
    assert.match(parsed.problems[1], /^Preset "Bad value" skipped: Filter 1 \(traffic-type\): "MAYBE"/);
    assert.match(parsed.problems[2], /^Preset "Bad name" skipped: .*Unknown filter "vpc-id"/);
    assert.match(parsed.problems[3], /^Preset "Bad IDs" skipped: Not valid flow log IDs/);
    assert.equal(parsed.problems[4], 'A preset has an empty name; skipped.');
    assert.equal(parsed.problems[5], 'Preset "Good" appears twice; the second one is skipped.');
  });
});

describe('resource-id accepts transit gateways (they have flow logs too)', () => {
  it('tgw- and tgw-attach- IDs validate; other prefixes do not', () => {
    assert.equal(validateFilterValue('resource-id', 'tgw-0123456789abcdef0'), undefined);
    assert.equal(validateFilterValue('resource-id', 'tgw-attach-0123456789abcdef0'), undefined);
    assert.match(validateFilterValue('resource-id', 'igw-0123456789abcdef0') ?? '', /not a valid resource ID/);
  });
});

describe('enumValuesTyped (the Add Filter value step takes typed text, issue 24.4)', () => {
  const traffic = findFilterDefinition('traffic-type')!;
  it('takes whole values in any case, several at once, each once', () => {
    assert.deepEqual(enumValuesTyped(traffic, 'REJECT'), { values: ['REJECT'], unknown: [] });
    assert.deepEqual(enumValuesTyped(traffic, ' reject,  accept reject '), { values: ['REJECT', 'ACCEPT'], unknown: [] });
  });
  it('takes the start of exactly one value; an ambiguous or unknown word is named', () => {
    assert.deepEqual(enumValuesTyped(traffic, 'rej'), { values: ['REJECT'], unknown: [] });
    assert.deepEqual(enumValuesTyped(traffic, 'a'), { values: [], unknown: ['a'] }, 'ACCEPT or ALL');
    assert.deepEqual(enumValuesTyped(traffic, 'REJECT DROP'), { values: ['REJECT'], unknown: ['DROP'] });
    assert.deepEqual(enumValuesTyped(traffic, '  '), { values: [], unknown: [] });
  });
});
