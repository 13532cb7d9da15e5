// IAM ListRoles (AWS Query protocol, XML, service "iam", signed for us-east-1) over a few roles per
// account: the flow-log delivery roles the generated flow logs name (trusting
// vpc-flow-logs.amazonaws.com) and roles that trust other services, so a picker has something to
// leave out. AssumeRolePolicyDocument is URL-encoded JSON, as IAM returns it.
//
// Paging as IAM documents it: MaxItems 1..1000 (default 100), IsTruncated and Marker; a Marker
// this endpoint did not issue -> 400 InvalidInput (decided here: IAM's message is not documented).
import { ApiError } from './errors';
import { escapeXml } from './xml';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const FLOW_LOGS_PRINCIPAL = 'vpc-flow-logs.amazonaws.com';

export interface IamRole {
  RoleName: string;
  Path: string;
  Arn: string;
  RoleId: string;
  CreateDate: Date;
  Description?: string;
  AssumeRolePolicyDocument: string;
}

function trust(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** The roles of an account (partition 'aws' unless given). Deterministic. */
export function rolesOf(accountId: string, partition = 'aws'): IamRole[] {
  const make = (name: string, service: string, description: string, path = '/'): IamRole => ({
    RoleName: name,
    Path: path,
    Arn: `arn:${partition}:iam::${accountId}:role${path}${name}`,
    RoleId: `AROA${accountId}${name.length.toString(16).toUpperCase().padStart(4, '0')}`.slice(0, 21),
    CreateDate: new Date(Date.UTC(2023, 0, 1 + name.length)),
    Description: description,
    AssumeRolePolicyDocument: trust(service),
  });
  return [
    make('ec2-instance-ssm', 'ec2.amazonaws.com', 'Instance profile role'),
    make('flow-logs-delivery', FLOW_LOGS_PRINCIPAL, 'Publishes VPC flow logs to CloudWatch Logs'),
    make('flow-logs-delivery-dev', FLOW_LOGS_PRINCIPAL, 'Flow logs (dev)'),
    make('flow-logs-delivery-prod', FLOW_LOGS_PRINCIPAL, 'Flow logs (prod)'),
    make('flow-logs-delivery-staging', FLOW_LOGS_PRINCIPAL, 'Flow logs (staging)'),
    make('flow-logs-firehose-source', FLOW_LOGS_PRINCIPAL, 'Flow logs to a Firehose stream'),
    make('lambda-basic-execution', 'lambda.amazonaws.com', 'Lambda functions', '/service-role/'),
  ];
}

function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function listRolesXml(roles: readonly IamRole[], form: URLSearchParams, requestId: string): { xml: string; items: number } {
  for (const k of form.keys()) {
    if (!['Action', 'Version', 'PathPrefix', 'Marker', 'MaxItems'].includes(k))
      throw new ApiError(400, 'InvalidInput', `The parameter ${k} is not recognized`);
  }
  const maxText = form.get('MaxItems');
  const max = maxText === null ? 100 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw new ApiError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  const prefix = form.get('PathPrefix') ?? '/';
  const matching = roles.filter((r) => r.Path.startsWith(prefix));
  const marker = form.get('Marker');
  let offset = 0;
  if (marker !== null) {
    const m = /^m([0-9]{1,6})$/.exec(marker);
    if (!m || Number(m[1]) > matching.length) throw new ApiError(400, 'InvalidInput', 'Invalid Marker.');
    offset = Number(m[1]);
  }
  const page = matching.slice(offset, offset + max);
  const truncated = offset + max < matching.length;
  const members = page.map(
    (r) =>
      `<member>${el('Path', r.Path)}${el('RoleName', r.RoleName)}${el('RoleId', r.RoleId)}${el('Arn', r.Arn)}` +
      `${el('CreateDate', r.CreateDate.toISOString())}${el('AssumeRolePolicyDocument', encodeURIComponent(r.AssumeRolePolicyDocument))}` +
      `${el('Description', r.Description)}${el('MaxSessionDuration', 3600)}</member>`,
  );
  const xml =
    `<ListRolesResponse xmlns="${IAM_NAMESPACE}"><ListRolesResult>${el('IsTruncated', truncated)}` +
    `${truncated ? el('Marker', `m${offset + max}`) : ''}<Roles>${members.join('')}</Roles></ListRolesResult>` +
    `<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></ListRolesResponse>`;
  return { xml, items: page.length };
}
