import type { ExamplesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** A JWT shape only: Avasam signs the real one with the seller's verification token. */
const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.<payload with requestId>.<signature>';

/** Webhook bodies shaped as Avasam documents them, for Swagger UI's "Try it out". */
export const STOCK_UPDATE_EXAMPLES: ExamplesObject = {
  'stock update': {
    summary: 'Stock levels of sourced products changed',
    value: {
      requestId: 'b8a1c3f0-5d2e-4f7a-9c41-0e6f2d9a7b10',
      on: '2024-05-01T10:00:02Z',
      token: TOKEN,
      data: [
        { sku: 'AVA-CHAIR-01', quantity: 12, updatedOn: '2024-05-01T10:00:00Z' },
        { sku: 'AVA-SOFA-02', quantity: 0, updatedOn: '2024-05-01T09:59:30Z' },
      ],
    },
  },
};

export const PRICE_UPDATE_EXAMPLES: ExamplesObject = {
  'price update': {
    summary: 'Prices of sourced products changed',
    value: {
      requestId: 'c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
      on: '2024-05-01T10:00:02Z',
      token: TOKEN,
      data: [{ sku: 'AVA-CHAIR-01', price: 18.5, updatedOn: '2024-05-01T10:00:00Z' }],
    },
  },
};
