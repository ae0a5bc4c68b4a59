import type { Logger } from 'pino';
import { createPoller, type Poller } from '../poller.js';
import type { Services } from '../services.js';
import { sweepOnce } from './sweep.js';

/**
 * The background sweeper: a pass every RETENTION_SWEEP_SECONDS, and another at once while a pass
 * left work behind. Started and stopped by the server beside the job worker and the dispatcher.
 */
export function createSweeper(services: Services, logger: Logger, intervalMs?: number): Poller | null {
  const seconds = services.config.retentionSweepSeconds;
  if (seconds === 0 && intervalMs === undefined) return null;
  return createPoller(intervalMs ?? seconds * 1000, logger, 'retention sweep', async () => {
    const report = await sweepOnce(services, { workspaceId: null, requestId: services.ids.next('req') });
    const removed =
      report.purged.length +
      report.owned_removed +
      report.events +
      report.webhook_deliveries +
      report.idempotency_keys +
      report.oauth_codes +
      report.oauth_requests +
      report.oauth_clients;
    if (removed) logger.info({ ...report, purged: report.purged.length }, 'retention sweep');
    return report.more;
  });
}
