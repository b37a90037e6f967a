// A real OpenID Provider for the identity tests: panva's oidc-provider (OpenID Certified),
// started by tests/identity/conftest.py on a free loopback port.
//
// Configuration comes from the environment, one process per test module:
//   OP_PORT            the port to listen on (127.0.0.1)
//   OP_CLIENTS         JSON list of clients [{client_id, client_secret, redirect_uris,
//                      post_logout_redirect_uris}]
//   OP_ACCOUNTS        JSON object {accountId: {claim: value, ...}}: the claims of each account
//                      (the test's "users"); devInteractions logs in any account id typed in
//
// The provider is configured as a city's Keycloak would be: authorization code flow only, PKCE
// (S256) required, RS256 ID tokens, discovery, JWKS, userinfo and RP-initiated logout.
//
// One test-only switch, POST /__test/next-id-token {"aud": ..., "iss": ...}: the next token
// response carries an ID token re-signed with the provider's own key with those claims
// replaced or added, so that the relying party receives a correctly signed token minted for
// another audience (or by another issuer, about another subject, carrying the NIP) and must
// act on its claims alone; {"forged": true} signs it with a key the provider does not
// publish. GET /__test/discoveries counts the discovery document's readers.

import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OP_CLIENTS);
const accounts = JSON.parse(process.env.OP_ACCOUNTS || '{}');

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
const signingKey = createPrivateKey({ key: signingJwk, format: 'jwk' });
// A key the provider does not publish: a token signed with it (same kid) is a forgery.
const forgingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const configuration = {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  // The NIP and the groups come with a scope of their own, and so (the code flow issues an
  // access token) from the userinfo endpoint only, not in the ID token: as Keycloak's mappers
  // with "Add to ID token" off, which docs/SSO.md recommends.
  claims: {
    openid: ['sub'],
    asn: ['nip', 'groups'],
    profile: ['name'],
    email: ['email', 'email_verified'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, sub) {
    const claims = accounts[sub];
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
};

const provider = new Provider(issuer, configuration);

let nextIdToken = null;
let discoveries = 0;

const b64url = (data) => Buffer.from(data).toString('base64url');

function resign(idToken, { forged, ...replace }) {
  const [header, payload] = idToken.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url')), ...replace };
  const input = `${header}.${b64url(JSON.stringify(claims))}`;
  const key = forged ? forgingKey : signingKey;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/next-id-token' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    nextIdToken = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    ctx.status = 204;
    return;
  }
  if (ctx.path === '/__test/discoveries') {
    ctx.body = { discoveries };
    return;
  }
  if (ctx.path === '/.well-known/openid-configuration') discoveries += 1;
  await next();
  if (ctx.path === '/token' && nextIdToken && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: resign(ctx.body.id_token, nextIdToken) };
    nextIdToken = null;
  }
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
