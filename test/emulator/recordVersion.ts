// The version AWS writes in a flow log record: "If you use the default format, the version is 2. If
// you use a custom format, the version is the highest version among the specified fields" (Amazon
// VPC User Guide, "Flow log records", Available fields, `version`). The table is the guide's own
// Version column, kept here apart from the extension's table (src/shared/logFormat.ts) so the two
// check each other. Node built-ins only.

const BY_VERSION: Record<number, readonly string[]> = {
  2: [
    'version',
    'account-id',
    'interface-id',
    'srcaddr',
    'dstaddr',
    'srcport',
    'dstport',
    'protocol',
    'packets',
    'bytes',
    'start',
    'end',
    'action',
    'log-status',
  ],
  3: ['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr'],
  4: ['region', 'az-id', 'sublocation-type', 'sublocation-id'],
  5: ['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path'],
  7: [
    'ecs-cluster-arn',
    'ecs-cluster-name',
    'ecs-container-instance-arn',
    'ecs-container-instance-id',
    'ecs-container-id',
    'ecs-second-container-id',
    'ecs-service-name',
    'ecs-task-definition-arn',
    'ecs-task-arn',
    'ecs-task-id',
  ],
  8: ['reject-reason'],
};

const VERSION_OF = new Map<string, number>();
for (const [version, names] of Object.entries(BY_VERSION)) for (const n of names) VERSION_OF.set(n, Number(version));

/** The version of one field (undefined: a field this table does not know). */
export function fieldVersion(name: string): number | undefined {
  return VERSION_OF.get(name);
}

/** The version AWS writes in the records of a flow log with these fields (the default format: 2). */
export function recordVersion(fields: readonly string[]): number {
  let version = 2;
  for (const f of fields) version = Math.max(version, VERSION_OF.get(f) ?? 2);
  return version;
}
