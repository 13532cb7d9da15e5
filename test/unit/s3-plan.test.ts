// Prefix planning for S3 flow logs: every layout x time ranges crossing hours, days, months and
// years, local ranges across daylight saving time, and object-name parsing and selection. The
// plans are checked against keys the emulator names (written independently of the planner).
import assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { parseObjectKey, parseS3Arn, s3Location, type S3Location } from '../../src/records/s3/layout';
import { LATE_MS, listingDone, planListing, selectObjects, type ListingPlan } from '../../src/records/s3/plan';
import { objectKey } from '../emulator/s3/catalog';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ID = 'fl-0123456789abcdef0';
const LAYOUTS = [
  { HiveCompatiblePartitions: false, PerHourPartition: false },
  { HiveCompatiblePartitions: false, PerHourPartition: true },
  { HiveCompatiblePartitions: true, PerHourPartition: false },
  { HiveCompatiblePartitions: true, PerHourPartition: true },
];

function flowLog(options: object, destination = 'arn:aws:s3:::my-flow-logs/team/a', format = 'plain-text', id = ID): FlowLog {
  return { FlowLogId: id, LogDestinationType: 's3', LogDestination: destination, DestinationOptions: { FileFormat: format, ...options } };
}

function location(log: FlowLog): S3Location {
  const loc = s3Location(log, ACCOUNT, REGION);
  assert.ok(!('problem' in loc), JSON.stringify(loc));
  return loc;
}

function plan(loc: S3Location, from: number, to: number, order?: 'oldest' | 'newest'): ListingPlan {
  const p = planListing(loc, from, to, order);
  assert.ok(!('problem' in p), JSON.stringify(p));
  return p;
}

/** Emulator-named keys for every 5-minute window ending in [from, to), with a second part for some. */
function keysFor(log: FlowLog, from: number, to: number): string[] {
  const dest = parseS3Arn(log.LogDestination)!;
  const keys: string[] = [];
  for (let w = Math.floor(from / 300_000) * 300_000 - 300_000; w + 300_000 < to; w += 300_000) {
    keys.push(objectKey({ accountId: ACCOUNT, region: REGION, flowLog: log }, dest.prefix, w, 0, 1));
  }
  return keys.sort();
}

/** What a client following the plan sees: each step's keys from the full key set, as S3 would list them. */
function listByPlan(p: ListingPlan, all: string[]): string[] {
  const seen: string[] = [];
  for (const step of p.steps) {
    const listed = all.filter((k) => k.startsWith(step.prefix) && (step.startAfter === undefined || k > step.startAfter)).sort();
    for (const k of listed) {
      if (listingDone(step, k)) break;
      seen.push(k);
    }
  }
  return seen;
}

describe('S3 prefix planning', () => {
  it('reads bucket and folder from LogDestination, and refuses what is not an S3 flow log', () => {
    assert.deepEqual(parseS3Arn('arn:aws:s3:::bucket-1'), { bucket: 'bucket-1', prefix: '' });
    assert.deepEqual(parseS3Arn('arn:aws:s3:::bucket-1/a/b'), { bucket: 'bucket-1', prefix: 'a/b/' });
    assert.deepEqual(parseS3Arn('arn:aws-cn:s3:::bucket-1/a/'), { bucket: 'bucket-1', prefix: 'a/' });
    assert.equal(parseS3Arn('arn:aws:logs:us-east-1:1:log-group:x'), undefined);
    assert.equal(parseS3Arn(undefined), undefined);
    assert.match((s3Location({ LogDestinationType: 'cloud-watch-logs' }, ACCOUNT, REGION) as { problem: string }).problem, /not S3/);
    assert.match((s3Location(flowLog({}, 'arn:aws:s3:::'), ACCOUNT, REGION) as { problem: string }).problem, /not an S3 bucket/);
    assert.match((s3Location(flowLog({}), '', REGION) as { problem: string }).problem, /account ID/);
    assert.match(
      (s3Location(flowLog({}, undefined, undefined, 'fl-x<script>'), ACCOUNT, REGION) as { problem: string }).problem,
      /not a flow log ID/,
    );
  });

  it('the default daily layout: one listing per UTC day, narrowed to the flow log and the first file time', () => {
    const loc = location(flowLog({}));
    const from = Date.UTC(2026, 10, 30, 23, 10);
    const p = plan(loc, from, Date.UTC(2026, 11, 1, 1, 0));
    assert.deepEqual(
      p.steps.map((s) => s.prefix),
      [
        `team/a/AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/11/30/${ACCOUNT}_vpcflowlogs_${REGION}_${ID}_`,
        `team/a/AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/12/01/${ACCOUNT}_vpcflowlogs_${REGION}_${ID}_`,
      ],
    );
    assert.equal(p.steps[0].startAfter, `${p.steps[0].prefix}20261130T2310`);
    assert.equal(p.steps[1].startAfter, undefined);
    assert.equal(p.steps[1].endAt, `${p.steps[1].prefix}20261201T0120`);
  });

  it('Hive-compatible per-hour folders across a year end', () => {
    const loc = location(flowLog(LAYOUTS[3], 'arn:aws:s3:::my-flow-logs'));
    const p = plan(loc, Date.UTC(2026, 11, 31, 22, 30), Date.UTC(2027, 0, 1, 0, 30));
    assert.deepEqual(
      p.steps.map((s) => s.prefix.slice(0, s.prefix.lastIndexOf('/') + 1)),
      [
        `AWSLogs/aws-account-id=${ACCOUNT}/aws-service=vpcflowlogs/aws-region=${REGION}/year=2026/month=12/day=31/hour=22/`,
        `AWSLogs/aws-account-id=${ACCOUNT}/aws-service=vpcflowlogs/aws-region=${REGION}/year=2026/month=12/day=31/hour=23/`,
        `AWSLogs/aws-account-id=${ACCOUNT}/aws-service=vpcflowlogs/aws-region=${REGION}/year=2027/month=01/day=01/hour=00/`,
      ],
    );
    assert.deepEqual(
      plan(loc, Date.UTC(2026, 11, 31, 22, 30), Date.UTC(2027, 0, 1, 0, 30), 'newest').steps.map((s) => s.prefix),
      p.steps.map((s) => s.prefix).reverse(),
    );
  });

  for (const layout of LAYOUTS) {
    for (const format of ['plain-text', 'parquet']) {
      const name = `${layout.HiveCompatiblePartitions ? 'Hive' : 'default'} ${layout.PerHourPartition ? 'per-hour' : 'daily'} ${format}`;
      it(`${name}: the plan finds exactly the files of the range, over ranges crossing hours, days and months`, () => {
        const log = flowLog(layout, 'arn:aws:s3:::my-flow-logs/x', format);
        const other = flowLog(layout, 'arn:aws:s3:::my-flow-logs/x', format, 'fl-0000000000000000f');
        const loc = location(log);
        const ranges: [number, number][] = [
          [Date.UTC(2026, 1, 28, 23, 7), Date.UTC(2026, 2, 1, 0, 40)], // month end, non-leap February
          [Date.UTC(2028, 1, 28, 23, 0), Date.UTC(2028, 2, 1, 2, 0)], // leap day
          [Date.UTC(2026, 5, 10, 10, 0), Date.UTC(2026, 5, 10, 10, 15)], // 15 minutes within an hour
          [Date.UTC(2026, 5, 10, 10, 59, 30), Date.UTC(2026, 5, 10, 11, 0, 30)], // one minute across an hour
          [Date.UTC(2026, 5, 1), Date.UTC(2026, 5, 8)], // 7 days
        ];
        for (const [from, to] of ranges) {
          const all = [...keysFor(log, from - 3 * 3600_000, to + 3 * 3600_000), ...keysFor(other, from - 3600_000, to + 3600_000)].sort();
          const p = plan(loc, from, to);
          const selected = selectObjects(loc, p, listByPlan(p, all)).map((o) => o.key);
          const want = all.filter((k) => {
            const n = parseObjectKey(k)!;
            return n.flowLogId === ID && n.time >= Math.floor(from / 60_000) * 60_000 && n.time < to + LATE_MS;
          });
          assert.deepEqual(selected, want, `range ${new Date(from).toISOString()} .. ${new Date(to).toISOString()}`);
          assert.ok(want.length > 0);
          for (const step of p.steps) assert.ok(step.prefix.includes(`_${ID}_`), 'never lists beyond the flow log');
          const units = layout.PerHourPartition ? 3600_000 : 86400_000;
          assert.equal(
            p.steps.length,
            Math.ceil((to + LATE_MS - Math.floor((Math.floor(from / 60_000) * 60_000) / units) * units) / units),
          );
        }
      });
    }
  }

  it('local ranges across daylight saving time: a 23-hour local day is 23 hours of folders (plus the late margin)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      const from = new Date(2026, 2, 29, 0, 0).getTime(); // local midnight, the day clocks go forward
      const to = new Date(2026, 2, 30, 0, 0).getTime();
      assert.equal((to - from) / 3600_000, 23);
      assert.equal(new Date(from).toISOString(), '2026-03-28T23:00:00.000Z');
      const loc = location(flowLog(LAYOUTS[1]));
      const p = plan(loc, from, to);
      assert.equal(p.steps.length, 24); // 23 hours + the hour the late margin reaches into
      assert.match(p.steps[0].prefix, /\/2026\/03\/28\/23\//);
      assert.match(p.steps[23].prefix, /\/2026\/03\/29\/22\//);
      // The autumn change: a 25-hour local day.
      const f2 = new Date(2026, 9, 25, 0, 0).getTime();
      const t2 = new Date(2026, 9, 26, 0, 0).getTime();
      assert.equal(plan(loc, f2, t2).steps.length, 26);
      // Daily folders are UTC days: a local day in Berlin touches two of them.
      assert.deepEqual(
        plan(location(flowLog(LAYOUTS[0])), from, to).steps.map((s) => /\/(\d{4}\/\d\d\/\d\d)\//.exec(s.prefix)![1]),
        ['2026/03/28', '2026/03/29'],
      );
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('refuses empty, reversed, invalid and too long ranges', () => {
    const loc = location(flowLog(LAYOUTS[1]));
    assert.match((planListing(loc, 10, 10) as { problem: string }).problem, /ends before/);
    assert.match((planListing(loc, NaN, 10) as { problem: string }).problem, /not valid/);
    assert.match((planListing(loc, 0, 365 * 86400_000) as { problem: string }).problem, /shorter range/);
    assert.ok(!('problem' in planListing(location(flowLog(LAYOUTS[0])), 0, 365 * 86400_000)));
  });

  it('parses object names and rejects what is not a flow log file', () => {
    const n = parseObjectKey(
      `x/AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/12/01/${ACCOUNT}_vpcflowlogs_${REGION}_${ID}_20261201T0105Z_1a2b3c4d.parquet`,
    );
    assert.deepEqual(n, {
      accountId: ACCOUNT,
      region: REGION,
      flowLogId: ID,
      time: Date.UTC(2026, 11, 1, 1, 5),
      hash: '1a2b3c4d',
      format: 'parquet',
    });
    assert.equal(parseObjectKey(`${ACCOUNT}_vpcflowlogs_${REGION}_${ID}_20261301T0105Z_1a2b.log.gz`), undefined); // month 13
    assert.equal(parseObjectKey(`${ACCOUNT}_vpcflowlogs_${REGION}_${ID}_20260230T0105Z_1a2b.log.gz`), undefined); // 30 February
    assert.equal(parseObjectKey(`${ACCOUNT}_vpcflowlogs_${REGION}_${ID}_20261201T0105Z_1a2b.txt`), undefined);
    assert.equal(parseObjectKey('AWSLogs/123/vpcflowlogs/'), undefined);
  });
});
