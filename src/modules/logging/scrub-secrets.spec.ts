import { secretScrubber } from './scrub-secrets';

describe('secretScrubber', () => {
  const sut = secretScrubber(['configured-secret-value', 'short']);

  it('masks configured secrets wherever they appear in a line', () => {
    expect(sut('{"msg":"using configured-secret-value now"}')).toBe(
      '{"msg":"using [Redacted] now"}',
    );
  });

  it('ignores secrets too short to search for safely', () => {
    expect(sut('{"msg":"short"}')).toBe('{"msg":"short"}');
  });

  it('masks integration API keys and JWTs', () => {
    const line = JSON.stringify({
      msg: 'key avvyr_int_live_AbC-123_xyz and token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-nature_',
    });
    expect(sut(line)).toBe(
      JSON.stringify({ msg: 'key avvyr_int_live_[Redacted] and token [Redacted]' }),
    );
  });

  it('masks credentials passed as query parameters, keeping the rest of the URL', () => {
    expect(sut('{"url":"/x?a=1&access_token=abc&api_key=def&b=2"}')).toBe(
      '{"url":"/x?a=1&access_token=[Redacted]&api_key=[Redacted]&b=2"}',
    );
  });

  it('masks the consumer key of sandbox Avasam seller URLs, keeping the rest of the path', () => {
    expect(
      sut('{"url":"/sandbox/avasam/sellers/ck-123/test-button?x=1","b":"/sandbox/avasam/sellers"}'),
    ).toBe(
      '{"url":"/sandbox/avasam/sellers/[Redacted]/test-button?x=1","b":"/sandbox/avasam/sellers"}',
    );
    expect(sut('{"msg":"PATCH /sandbox/avasam/sellers/ck%2F1"}')).toBe(
      '{"msg":"PATCH /sandbox/avasam/sellers/[Redacted]"}',
    );
  });
});
