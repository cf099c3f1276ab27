const REDACTED = '[Redacted]';

/**
 * Shapes that are credentials wherever they appear: keys, JWTs, credential query parameters,
 * consumer keys in URL paths.
 */
const CREDENTIAL_PATTERNS: [RegExp, string][] = [
  [/avvyr_int_live_[A-Za-z0-9_-]+/g, `avvyr_int_live_${REDACTED}`],
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  [
    /([?&](?:access_token|token|api_?key|apikey|key|secret|secret_key|password)=)[^&"\s\\]*/gi,
    `$1${REDACTED}`,
  ],
  // The sandbox Avasam names a seller by its consumer key: /sandbox/avasam/sellers/{consumerKey}.
  [/(\/sandbox\/avasam\/sellers\/)[^/?#"\s\\]+/g, `$1${REDACTED}`],
];

/**
 * Last line of defence, run on every serialized log line: masks the configured secrets and
 * anything shaped like a credential, whatever field or message it slipped into.
 */
export function secretScrubber(secrets: string[]): (line: string) => string {
  // Secrets are searched for as they appear inside a JSON string.
  const known = secrets
    .filter((secret) => secret.length >= 8)
    .map((secret) => JSON.stringify(secret).slice(1, -1));
  return (line) => {
    let out = line;
    for (const secret of known) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) {
      out = out.replace(pattern, replacement);
    }
    return out;
  };
}
