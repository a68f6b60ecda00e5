import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { formDecode } from './form.js';
import { hmacSha1Base64 } from './hmac-sha1.js';
import { createOAuth1Signer } from './oauth1.js';

const signer = createOAuth1Signer({
  consumerKey: 'key',
  consumerSecret: 'secret',
  now: () => 0,
  nonce: () => 'nonce',
});

function headerParams(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  return Object.fromEntries(
    header
      .slice('OAuth '.length)
      .split(', ')
      .map((part) => {
        const [, name = '', value = ''] = /^([a-z_]+)="([^"]*)"$/.exec(part) ?? [];
        return [name, decodeURIComponent(value)];
      }),
  );
}

describe('API request signatures (spec §7.3)', () => {
  it('POST /pairings/create signs the form body', () => {
    const header = signer.authorizationHeader(
      'POST',
      'https://api.toopher.test/v1/pairings/create',
      'user_name=user+name&pairing_phrase=awkward+turtle',
    );
    expect(headerParams(header)).toEqual({
      oauth_consumer_key: 'key',
      oauth_nonce: 'nonce',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '0',
      oauth_version: '1.0',
      oauth_signature: 'Bx5EZmZHLjWFewtplLcObH6Gva0=',
    });
    expect(header).not.toContain('realm');
  });

  it('GET /users?name=user+name reads + in the query as a space (pitfall 1)', () => {
    const header = signer.authorizationHeader(
      'GET',
      'https://api.toopher.test/v1/users?name=user+name',
      undefined,
    );
    expect(headerParams(header).oauth_signature).toBe('l/VHIRQi2oO8lF6g+nHFVwMg2hg=');
    const percent = signer.authorizationHeader(
      'GET',
      'https://api.toopher.test/v1/users?name=user%20name',
      undefined,
    );
    expect(headerParams(percent).oauth_signature).toBe('l/VHIRQi2oO8lF6g+nHFVwMg2hg=');
  });

  it('POST /users/u1 with toopher_authentication_enabled=False', () => {
    const header = signer.authorizationHeader(
      'POST',
      'https://api.toopher.test/v1/users/u1',
      'toopher_authentication_enabled=False',
    );
    expect(headerParams(header).oauth_signature).toBe('0YIebFj8L11T5Iyyo4YxFLrvgGI=');
  });

  it('a fresh nonce per request by default', () => {
    const random = createOAuth1Signer({ consumerKey: 'key', consumerSecret: 'secret' });
    const a = headerParams(random.authorizationHeader('GET', 'https://api.toopher.test/v1/users', undefined));
    const b = headerParams(random.authorizationHeader('GET', 'https://api.toopher.test/v1/users', undefined));
    expect(a.oauth_nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(a.oauth_nonce).not.toBe(b.oauth_nonce);
  });
});

describe('generic OAuth 1.0a vectors (spec §7.5) through the same HMAC', () => {
  const withToken = (consumer: [string, string], token: [string, string], nonce: string, ts: number) => {
    const oauth = new OAuth({
      consumer: { key: consumer[0], secret: consumer[1] },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => hmacSha1Base64(key, base),
    });
    oauth.getNonce = () => nonce;
    oauth.getTimeStamp = () => ts;
    return { oauth, token: { key: token[0], secret: token[1] } };
  };

  it('OAuth Core 1.0 Appendix A', () => {
    const { oauth, token } = withToken(
      ['dpf43f3p2l4k3l03', 'kd94hf93k423kf44'],
      ['nnch734d00sl2jdk', 'pfkkdhi9sl3r4s00'],
      'kllo9940pd9333jh',
      1191242096,
    );
    const signed = oauth.authorize(
      {
        method: 'GET',
        url: 'http://photos.example.net/photos',
        data: { file: 'vacation.jpg', size: 'original' },
      },
      token,
    );
    expect(signed.oauth_signature).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });

  it('Twitter sample', () => {
    const { oauth, token } = withToken(
      ['xvz1evFS4wEEPTGEFPHBog', 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw'],
      ['370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE'],
      'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      1318622958,
    );
    const signed = oauth.authorize(
      {
        method: 'POST',
        url: 'https://api.twitter.com/1/statuses/update.json',
        data: { include_entities: 'true', status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
      },
      token,
    );
    expect(signed.oauth_signature).toBe('tnnArxj06cWHq44gCs1OSKk/jLY=');
  });

  it('RFC 5849 §3.4.1.1 base string, with the repeated a3 kept (pitfall 3 avoided by passing pairs)', () => {
    const { oauth } = withToken(['9djdj82h48djs9d2', ''], ['kkk9d7dh3k39sjv7', ''], '7d8f3e4a', 137131201);
    const pairs = [...formDecode('b5=%3D%253D&a3=a&c%40=&a2=r%20b'), ...formDecode('c2&a3=2+q')];
    const data: Record<string, string | string[]> = {};
    for (const [name, value] of pairs) {
      const existing = data[name];
      data[name] = existing === undefined ? value : [existing as string, value];
    }
    const base = oauth.getBaseString({ method: 'POST', url: 'http://example.com/request', data }, {
      oauth_consumer_key: '9djdj82h48djs9d2',
      oauth_token: 'kkk9d7dh3k39sjv7',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: 137131201,
      oauth_nonce: '7d8f3e4a',
    } as OAuth.Data);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });
});
