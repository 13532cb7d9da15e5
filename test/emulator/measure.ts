// Measures the emulator alone (no SDK): time per DescribeFlowLogs page over a large region.
//   node out/test/emulator/measure.js [--count 100000] [--page-size 1000]
// Uses raw HTTP and an account without a secret, so no signing cost is measured either.
import { startEmulator } from './server';

export interface PagingMeasurement {
  count: number;
  pageSize: number;
  pages: number;
  items: number;
  /** First request: generates and caches the region's data. */
  firstPageMs: number;
  /** Mean of the other pages. */
  msPerPage: number;
  bytesPerPage: number;
}

export async function measurePaging(count = 100000, pageSize = 1000): Promise<PagingMeasurement> {
  const accountId = '999999999999';
  const em = await startEmulator({
    accounts: [{ accountId, accessKeyId: 'AKIAMEASURE000000001', regions: ['us-east-1'], flowLogsPerRegion: count }],
  });
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIAMEASURE000000001/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=' + '0'.repeat(64);
  try {
    let token: string | undefined;
    let pages = 0;
    let items = 0;
    let bytes = 0;
    let firstPageMs = 0;
    const started = performance.now();
    do {
      const body = new URLSearchParams({ Action: 'DescribeFlowLogs', Version: '2016-11-15', MaxResults: String(pageSize) });
      if (token) body.set('NextToken', token);
      const response = await fetch(em.url, { method: 'POST', body, headers: { authorization } });
      const xml = await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${xml}`);
      if (pages === 0) firstPageMs = performance.now() - started;
      pages++;
      bytes += Buffer.byteLength(xml);
      items += xml.split('<flowLogId>').length - 1;
      token = /<nextToken>([^<]*)<\/nextToken>/.exec(xml)?.[1];
    } while (token);
    const rest = performance.now() - started - firstPageMs;
    return { count, pageSize, pages, items, firstPageMs, msPerPage: pages > 1 ? rest / (pages - 1) : 0, bytesPerPage: bytes / pages };
  } finally {
    await em.stop();
  }
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

if (require.main === module) {
  measurePaging(argValue('--count', 100000), argValue('--page-size', 1000)).then(
    (m) => {
      console.log(
        `${m.items} of ${m.count} flow logs in ${m.pages} pages of ${m.pageSize}: first page ${m.firstPageMs.toFixed(0)} ms ` +
          `(generates the region), then ${m.msPerPage.toFixed(2)} ms per page (${(m.bytesPerPage / 1024).toFixed(0)} KiB each), server side.`,
      );
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
