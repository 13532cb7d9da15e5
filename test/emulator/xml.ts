// XML for the EC2 Query protocol (and STS's awsQuery): element names are the model's
// locationNames; every value is escaped, because tag values are hostile on purpose.
import type { FlowLog } from '../../src/shared/types';

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Raw CR/LF/TAB would be normalised by XML parsers; character references survive.
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** Escapes text for element content or attribute values. */
export function escapeXml(value: string): string {
  // A lone surrogate (hostile test data) would become U+FFFD in UTF-8; as a character reference
  // (as a hostile server can send it) the SDK's parser decodes it back to the lone surrogate.
  const escaped = value.replace(/[&<>"'\r\n\t]/g, (c) => ESCAPES[c]);
  if (!/[\uD800-\uDFFF]/.test(escaped)) return escaped;
  return escaped.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`,
  );
}

function element(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** One <item> of a flowLogSet; undefined fields are omitted, as EC2 omits them. */
export function flowLogItemXml(log: FlowLog): string {
  const parts: string[] = ['<item>'];
  if (log.CreationTime !== undefined) parts.push(element('creationTime', log.CreationTime.toISOString()));
  parts.push(
    element('deliverLogsErrorMessage', log.DeliverLogsErrorMessage),
    element('deliverLogsPermissionArn', log.DeliverLogsPermissionArn),
    element('deliverCrossAccountRole', log.DeliverCrossAccountRole),
    element('deliverLogsStatus', log.DeliverLogsStatus),
    element('flowLogId', log.FlowLogId),
    element('flowLogStatus', log.FlowLogStatus),
    element('logGroupName', log.LogGroupName),
    element('resourceId', log.ResourceId),
    element('trafficType', log.TrafficType),
    element('logDestinationType', log.LogDestinationType),
    element('logDestination', log.LogDestination),
    element('logFormat', log.LogFormat),
  );
  if (log.Tags !== undefined) {
    parts.push('<tagSet>');
    for (const tag of log.Tags) parts.push('<item>', element('key', tag.Key), element('value', tag.Value), '</item>');
    parts.push('</tagSet>');
  }
  parts.push(element('maxAggregationInterval', log.MaxAggregationInterval));
  const options = log.DestinationOptions;
  if (options !== undefined) {
    parts.push(
      '<destinationOptions>',
      element('fileFormat', options.FileFormat),
      element('hiveCompatiblePartitions', options.HiveCompatiblePartitions),
      element('perHourPartition', options.PerHourPartition),
      '</destinationOptions>',
    );
  }
  parts.push('</item>');
  return parts.join('');
}

export function describeFlowLogsXml(itemsXml: readonly string[], nextToken: string | undefined, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeFlowLogsResponse xmlns="${EC2_NAMESPACE}">` +
    `${element('requestId', requestId)}<flowLogSet>${itemsXml.join('')}</flowLogSet>` +
    `${element('nextToken', nextToken)}</DescribeFlowLogsResponse>`
  );
}

/** EC2's error document (not the awsQuery <ErrorResponse>). */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${element('Code', code)}${element('Message', message)}` +
    `</Error></Errors>${element('RequestID', requestId)}</Response>`
  );
}

/** STS (awsQuery) error document. */
export function stsErrorXml(code: string, message: string, requestId: string, type: 'Sender' | 'Receiver'): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error>${element('Type', type)}${element('Code', code)}${element('Message', message)}` +
    `</Error>${element('RequestId', requestId)}</ErrorResponse>`
  );
}

export function callerIdentityXml(identity: { arn: string; userId: string; account: string }, requestId: string): string {
  return (
    `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}"><GetCallerIdentityResult>` +
    `${element('Arn', identity.arn)}${element('UserId', identity.userId)}${element('Account', identity.account)}` +
    `</GetCallerIdentityResult><ResponseMetadata>${element('RequestId', requestId)}</ResponseMetadata></GetCallerIdentityResponse>`
  );
}

/** DescribeRegions: each region with its endpoint and opt-in status. */
export function describeRegionsXml(regions: readonly { name: string; optInStatus: string }[], requestId: string): string {
  const items = regions.map(
    (r) =>
      `<item>${element('regionName', r.name)}${element('regionEndpoint', `ec2.${r.name}.amazonaws.com`)}${element('optInStatus', r.optInStatus)}</item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="${EC2_NAMESPACE}">${element('requestId', requestId)}<regionInfo>${items.join('')}</regionInfo></DescribeRegionsResponse>`;
}
