/** Where Avvyr writes an Avasam price: Avasam's price is what the seller pays, hence costPrice. */
export const PRICE_FIELDS = ['costPrice', 'sellingPrice'] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];
export const DEFAULT_PRICE_FIELD: PriceField = 'costPrice';

export const SECRET_SETTINGS = ['consumerKey', 'secretKey', 'verificationToken'] as const;
export type SecretSetting = (typeof SECRET_SETTINGS)[number];

/** What an Avasam integration stores in `settings`: secrets only as SecretStore references. */
export interface AvasamSettings {
  consumerKeyRef: string;
  secretKeyRef: string;
  verificationTokenRef: string;
  /** Last characters of the consumer key, so a person can tell which key is configured. */
  consumerKeyHint: string;
  /** Avvyr warehouse the stock goes to; AVASAM_DEFAULT_WAREHOUSE_ID when unset. */
  warehouseId?: string;
  priceField: PriceField;
  /** Avasam documents no price acknowledgement: only sent when a path is configured. */
  priceAcknowledgementPath?: string;
}

export function secretRef(integrationId: string, name: SecretSetting): string {
  return `integration/${integrationId}/avasam/${name}`;
}

const REF_KEYS = {
  consumerKey: 'consumerKeyRef',
  secretKey: 'secretKeyRef',
  verificationToken: 'verificationTokenRef',
} as const satisfies Record<SecretSetting, keyof AvasamSettings>;

export function refKey(name: SecretSetting) {
  return REF_KEYS[name];
}

/** The stored settings of an Avasam integration; throws if they were never completed. */
export function readAvasamSettings(raw: Record<string, unknown>): AvasamSettings {
  for (const name of SECRET_SETTINGS) {
    if (typeof raw[REF_KEYS[name]] !== 'string') {
      throw new Error(`The Avasam integration has no ${name} configured`);
    }
  }
  return {
    ...(raw as unknown as AvasamSettings),
    priceField: PRICE_FIELDS.includes(raw.priceField as PriceField)
      ? (raw.priceField as PriceField)
      : DEFAULT_PRICE_FIELD,
  };
}
