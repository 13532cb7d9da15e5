// The Athena table of an S3 flow log: its columns against the tables in Athena's documentation
// ("Create a table for Amazon VPC flow logs", versions 2 to 5), text and Parquet, the LOCATION of
// each S3 layout and the partition projection that matches the folders the emulator writes.
import assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { athenaColumns, buildTable, defaultTableName, partitionCount, partitionRange, type TableSpec } from '../../src/athena/table';
import { folderFor, s3Location, type S3Location } from '../../src/records/s3/layout';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ID = 'fl-0123456789abcdef0';

// The column list of Athena's documented CREATE TABLE for flow logs (versions 2 through 5), in order.
const DOCUMENTED = `version int, account_id string, interface_id string, srcaddr string, dstaddr string, srcport int,
dstport int, protocol bigint, packets bigint, bytes bigint, start bigint, end bigint, action string, log_status string,
vpc_id string, subnet_id string, instance_id string, tcp_flags int, type string, pkt_srcaddr string, pkt_dstaddr string,
region string, az_id string, sublocation_type string, sublocation_id string, pkt_src_aws_service string,
pkt_dst_aws_service string, flow_direction string, traffic_path int`
  .split(',')
  .map((s) => s.trim().split(/\s+/));

const V5_FORMAT = DOCUMENTED.map(([name]) => `\${${name.replace(/_/g, '-')}}`).join(' ');

function flowLog(options: object, format?: string, destination = 'arn:aws:s3:::my-flow-logs/team/a/'): FlowLog {
  return {
    FlowLogId: ID,
    LogDestinationType: 's3',
    LogDestination: destination,
    LogFormat: format,
    CreationTime: new Date(Date.UTC(2024, 2, 15, 10)),
    DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: false, PerHourPartition: false, ...options },
  };
}

function table(log: FlowLog): TableSpec {
  const t = buildTable({ flowLog: log, accountId: ACCOUNT, region: REGION, database: 'flowlogs' });
  assert.ok(!('problem' in t), JSON.stringify(t));
  return t;
}

/** Expand an Athena projection's storage.location.template for the partition of `ms`. */
function projectedFolder(t: TableSpec, ms: number): string {
  const props = new Map(t.properties);
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const values: Record<string, string> = {
    year: String(d.getUTCFullYear()),
    month: pad(d.getUTCMonth() + 1),
    day: t.location.hive ? pad(d.getUTCDate()) : `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`,
    hour: t.location.hive
      ? pad(d.getUTCHours())
      : `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}`,
  };
  const template = props.get('storage.location.template')!;
  return template.replace(/\$\{(\w+)\}/g, (_m, c: string) => values[c]) + '/';
}

describe('Athena table of an S3 flow log', () => {
  it('gives the default format the documented columns and types, in order', () => {
    const cols = athenaColumns(undefined);
    assert.ok(Array.isArray(cols));
    assert.deepEqual(
      cols.map((c) => [c.name, c.type]),
      DOCUMENTED.slice(0, 14),
    );
  });

  it('gives a version 5 format every documented column with its documented type', () => {
    const cols = athenaColumns(V5_FORMAT);
    assert.ok(Array.isArray(cols));
    assert.deepEqual(
      cols.map((c) => [c.name, c.type]),
      DOCUMENTED,
    );
  });

  it('follows a custom format order and types later fields as strings', () => {
    const cols = athenaColumns('${dstport} ${reject-reason} ${srcaddr} ${ecs-task-id} ${end}');
    assert.ok(Array.isArray(cols));
    assert.deepEqual(
      cols.map((c) => `${c.name} ${c.type}`),
      ['dstport int', 'reject_reason string', 'srcaddr string', 'ecs_task_id string', 'end bigint'],
    );
  });

  it('refuses a format with stray text or a field twice', () => {
    assert.ok('problem' in (athenaColumns('${srcaddr} junk') as object));
    assert.ok('problem' in (athenaColumns('${srcaddr} ${srcaddr}') as object));
  });

  it('writes the documented text DDL: delimited by spaces, header skipped, `end` quoted', () => {
    const t = table(flowLog({}));
    assert.match(t.ddl, /^CREATE EXTERNAL TABLE IF NOT EXISTS `flowlogs`\.`vpc_flow_logs_fl_0123456789abcdef0` \(/);
    assert.match(t.ddl, /\n {2}`end` bigint,\n/);
    assert.match(t.ddl, /\nROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\n/);
    assert.match(t.ddl, /'skip\.header\.line\.count' = '1'/);
    assert.doesNotMatch(t.ddl, /Parquet/);
    assert.equal(t.locationUri, `s3://my-flow-logs/team/a/AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/`);
    assert.match(t.ddl, new RegExp(`\\nLOCATION '${t.locationUri}'\\n`));
  });

  it('writes the documented Parquet DDL: Parquet SerDe and formats, no header property', () => {
    const t = table(flowLog({ FileFormat: 'parquet' }));
    assert.match(t.ddl, /ROW FORMAT SERDE 'org\.apache\.hadoop\.hive\.ql\.io\.parquet\.serde\.ParquetHiveSerDe'/);
    assert.match(t.ddl, /STORED AS INPUTFORMAT 'org\.apache\.hadoop\.hive\.ql\.io\.parquet\.MapredParquetInputFormat'/);
    assert.match(t.ddl, /OUTPUTFORMAT 'org\.apache\.hadoop\.hive\.ql\.io\.parquet\.MapredParquetOutputFormat'/);
    assert.doesNotMatch(t.ddl, /skip\.header/);
    assert.doesNotMatch(t.ddl, /TERMINATED BY/);
  });

  it('projects partitions onto the very folders of every layout (bucket folder, account, region)', () => {
    const at = Date.UTC(2024, 4, 31, 23, 40);
    for (const hive of [false, true])
      for (const perHour of [false, true])
        for (const dest of ['arn:aws:s3:::my-flow-logs', 'arn:aws:s3:::my-flow-logs/team/a/']) {
          const log = flowLog({ HiveCompatiblePartitions: hive, PerHourPartition: perHour }, undefined, dest);
          const t = table(log);
          const loc = s3Location(log, ACCOUNT, REGION) as S3Location;
          assert.equal(projectedFolder(t, at), `s3://${loc.bucket}/${folderFor(loc, at)}`, `hive=${hive} perHour=${perHour} ${dest}`);
          const props = new Map(t.properties);
          assert.equal(props.get('projection.enabled'), 'true');
          assert.deepEqual(
            t.partitions.columns,
            hive ? (perHour ? ['year', 'month', 'day', 'hour'] : ['year', 'month', 'day']) : perHour ? ['hour'] : ['day'],
          );
          assert.match(t.ddl, new RegExp(`PARTITIONED BY \\(${t.partitions.columns.map((c) => `\`${c}\` string`).join(', ')}\\)`));
          if (!hive) {
            const c = t.partitions.columns[0];
            assert.equal(props.get(`projection.${c}.type`), 'date');
            assert.equal(props.get(`projection.${c}.format`), perHour ? 'yyyy/MM/dd/HH' : 'yyyy/MM/dd');
            assert.equal(props.get(`projection.${c}.range`), perHour ? '2024/03/15/10,NOW' : '2024/03/15,NOW');
            assert.equal(props.get(`projection.${c}.interval.unit`), perHour ? 'HOURS' : 'DAYS');
          } else {
            assert.equal(props.get('projection.year.range'), '2024,2099');
            assert.equal(props.get('projection.month.digits'), '2');
            assert.equal(props.get('projection.day.digits'), '2');
            assert.equal(props.has('projection.hour.type'), perHour);
          }
        }
  });

  it('escapes quotes in the DDL and refuses bad database or table names', () => {
    assert.ok('problem' in buildTable({ flowLog: flowLog({}), accountId: ACCOUNT, region: REGION, database: "x'; DROP" }));
    assert.ok('problem' in buildTable({ flowLog: flowLog({}), accountId: ACCOUNT, region: REGION, database: 'ok', table: 'Bad-Name' }));
    assert.ok(
      'problem' in
        buildTable({
          flowLog: { ...flowLog({}), LogDestinationType: 'cloud-watch-logs' },
          accountId: ACCOUNT,
          region: REGION,
          database: 'ok',
        }),
    );
    assert.equal(defaultTableName(ID), 'vpc_flow_logs_fl_0123456789abcdef0');
  });

  it('covers a range with the partitions of its files (late files included), days and hours', () => {
    const from = Date.UTC(2024, 0, 31, 23, 0);
    const to = Date.UTC(2024, 1, 2, 23, 50);
    assert.deepEqual(partitionRange(false, from, to), { first: '2024/01/31', last: '2024/02/03' });
    assert.equal(partitionCount(false, from, to), 4);
    assert.deepEqual(partitionRange(true, from, Date.UTC(2024, 0, 31, 23, 45)), { first: '2024/01/31/23', last: '2024/02/01/00' });
    assert.equal(partitionCount(false, Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 31)), 31);
    assert.equal(partitionCount(false, Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 30, 12)), 30);
  });
});
