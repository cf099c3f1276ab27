/**
 * Where secrets live (API keys, Avasam credentials). The default adapter encrypts them into
 * MongoDB; a vault adapter (Azure Key Vault, as the seed describes) implements the same port.
 */
export abstract class SecretStore {
  abstract put(ref: string, value: string): Promise<void>;
  abstract get(ref: string): Promise<string | undefined>;
  abstract delete(ref: string): Promise<void>;
}
