// The local endpoint's S3 history options (the Athena benchmark's 45 days): retentionDays keeps
// that many days of objects, windowStride keeps one 5-minute window in n; the default stays 7
// days of every window.
import assert from 'node:assert/strict';
import { defaultAccounts, startEmulator } from '../../emulator/server';
import type { FlowLog } from '../../../src/shared/types';

const DAY = 86_400_000;
const WINDOW = 5 * 60_000;

describe('local endpoint S3: retentionDays and windowStride', function () {
  this.timeout(60_000);
  const [acct] = defaultAccounts(0);
  const now = Date.UTC(2026, 11, 6, 15, 2, 0);
  const log: FlowLog = {
    FlowLogId: 'fl-0aa00000000000001',
    FlowLogStatus: 'ACTIVE',
    ResourceId: 'vpc-0123456789abcdef0',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::history-bucket/',
    DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: false, PerHourPartition: false },
  };

  async function windows(s3: Record<string, unknown>): Promise<number[]> {
    const em = await startEmulator({ accounts: [acct], seed: 1, s3: { now: () => now, ...s3 } });
    try {
      em.setFlowLogs(acct.accountId, 'us-east-1', [log]);
      return [...new Set(em.s3.objects('history-bucket').map((o) => o.windowStart))].sort((a, b) => a - b);
    } finally {
      await em.stop();
    }
  }

  it('keeps 45 days of one window an hour when asked, 7 days of every window by default', async () => {
    const sparse = await windows({ retentionDays: 45, windowStride: 12 });
    assert.ok(sparse[0] >= now - 45 * DAY && sparse[0] < now - 45 * DAY + 12 * WINDOW, new Date(sparse[0]).toISOString());
    assert.ok(sparse.every((w) => (w / WINDOW) % 12 === 0));
    assert.ok(Math.abs(sparse.length - 45 * 24) <= 1, String(sparse.length));
    const dense = await windows({});
    assert.ok(dense[0] >= now - 7 * DAY && dense[0] < now - 7 * DAY + WINDOW, new Date(dense[0]).toISOString());
    assert.ok(Math.abs(dense.length - 7 * 24 * 12) <= 2, String(dense.length));
  });
});
