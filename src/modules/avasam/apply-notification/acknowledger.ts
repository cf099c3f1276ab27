import { Injectable } from '@nestjs/common';
import type { StepReporter } from '../../events';
import { AvasamApiClient, STOCK_ACKNOWLEDGEMENT_PATH } from '../avasam-api/avasam-api.client';
import type { NotificationKind } from '../notifications/notification-kinds';
import { AvasamSecrets } from '../settings/avasam-secrets';
import type { AvasamSettings } from '../settings/avasam-settings';

/**
 * Tells Avasam a notification was handled. Stock updates are acknowledged at the documented
 * AcknowledgeStockUpdate; Avasam documents no price acknowledgement, so price updates are only
 * acknowledged when the seller configured a path. Either way the timeline says what was done.
 */
@Injectable()
export class Acknowledger {
  constructor(
    private readonly avasam: AvasamApiClient,
    private readonly secrets: AvasamSecrets,
  ) {}

  async acknowledge(
    kind: NotificationKind,
    settings: AvasamSettings,
    requestId: string,
    report: StepReporter,
  ): Promise<boolean> {
    const path = kind === 'stock' ? STOCK_ACKNOWLEDGEMENT_PATH : settings.priceAcknowledgementPath;
    if (!path) {
      await report('acknowledgement-skipped', {
        reason:
          'Avasam documents no acknowledgement for price updates; set priceAcknowledgementPath to send one',
      });
      return false;
    }
    const response = await this.avasam.acknowledge(
      await this.secrets.apiKeys(settings),
      path,
      requestId,
    );
    await report('acknowledged', { requestId, path, response });
    return true;
  }
}
