/**
 * Emulator-only routes under `/_emulator`: mint and revoke access tokens, play the Pioneer (create a
 * U2A payment, cancel it, sign a transaction), play the app wallet for A2U, award rewarded ads, and
 * Horizon-like transaction resources: the one behind each payment's `transaction._link`, and an
 * account's transactions, where an app looks for the tx of a payment Pi reports without one.
 */
import type { Hono } from 'hono';
import type { EmulatorEnv } from '../types.js';
import { accountTransactions, transactionResource } from './horizon.js';
import { expireUnapproved, finished, linkTransaction, newPayment } from './payments.js';
import { isAddress, type LedgerTx, newAccessToken, newTxid } from './state.js';
import { isObject, isoAt, jsonBody, type PiWorld, piError, tokenFromBearer } from './world.js';

export function mountEmulatorRoutes(app: Hono<EmulatorEnv>, world: PiWorld): void {
  const now = () => world.context.now();

  app.post('/_emulator/tokens', async (c) => {
    const body = await jsonBody(c);
    const input = isObject(body) ? body : {};
    const user = world.users.find((u) => u.uid === input.uid || u.username === input.username);
    if (!user) return piError(c, 404, 'user_not_found', 'No emulator user with that uid or username.');
    const piApp = world.apps.find((a) => a.id === (input.app ?? world.apps[0]?.id));
    if (!piApp) return piError(c, 404, 'app_not_found', 'No emulator app with that id.');
    const ttlSec = typeof input.ttlSec === 'number' ? input.ttlSec : world.settings.tokenTtlSec;
    const scopes = Array.isArray(input.scopes) ? input.scopes.map(String) : user.scopes;
    const accessToken = newAccessToken();
    const expiresAtMs = now() + ttlSec * 1000;
    world.tokens.set(accessToken, { uid: user.uid, appId: piApp.id, scopes, expiresAtMs, revoked: false });
    return c.json({
      accessToken,
      user: { uid: user.uid, username: user.username },
      valid_until: { timestamp: Math.floor(expiresAtMs / 1000), iso8601: isoAt(expiresAtMs) },
    });
  });

  app.post('/_emulator/tokens/revoke', async (c) => {
    const body = await jsonBody(c);
    const token =
      isObject(body) && typeof body.accessToken === 'string' ? world.tokens.get(body.accessToken) : undefined;
    if (!token) return piError(c, 404, 'token_not_found', 'No such access token.');
    token.revoked = true;
    return c.json({ revoked: true });
  });

  // The Pioneer's Pi.createPayment: the token decides the user and the app.
  app.post('/_emulator/payments', async (c) => {
    const token = tokenFromBearer(c, world);
    if (token instanceof Response) return token;
    if (!token.scopes.includes('payments')) {
      return piError(c, 403, 'missing_scope', 'Cannot create a payment without "payments" scope.');
    }
    const body = await jsonBody(c);
    const input = isObject(body) ? body : {};
    if (typeof input.amount !== 'number' || !(input.amount > 0)) {
      return piError(c, 400, 'invalid_amount', 'The amount must be a positive number.');
    }
    const piApp = world.apps.find((a) => a.id === token.appId);
    const user = world.users.find((u) => u.uid === token.uid);
    if (!piApp || !user)
      return piError(c, 404, 'user_not_found', 'The token no longer names a user of an app.');
    for (const record of world.payments.values()) {
      if (
        record.appId !== piApp.id ||
        record.dto.user_uid !== user.uid ||
        record.dto.direction !== 'user_to_app'
      )
        continue;
      expireUnapproved(world, record);
      const { status } = record.dto;
      if (status.developer_completed || status.cancelled || status.user_cancelled) continue;
      // An open payment without a tx is replaced; one with a tx blocks until the developer completes it.
      if (record.dto.transaction) {
        return piError(
          c,
          409,
          'ongoing_payment_found',
          'A previous payment needs an action from the developer.',
          {
            payment: record.dto,
          },
        );
      }
      status.cancelled = true;
      record.cancelledAtMs = now();
    }
    const record = newPayment(world, piApp, {
      uid: user.uid,
      amount: input.amount,
      memo: typeof input.memo === 'string' ? input.memo : '',
      metadata: isObject(input.metadata) ? input.metadata : {},
      direction: 'user_to_app',
      from: user.walletAddress,
      to: piApp.walletAddress,
    });
    return c.json(record.dto);
  });

  app.post('/_emulator/payments/:id/user_cancel', (c) => {
    const record = world.payments.get(c.req.param('id'));
    if (!record) return piError(c, 404, 'payment_not_found', 'Payment not found.');
    const { status } = record.dto;
    if (record.dto.transaction || status.developer_completed || status.cancelled || status.user_cancelled) {
      return piError(c, 400, 'not_cancellable', 'The payment is finished or has a transaction.');
    }
    status.user_cancelled = true;
    record.cancelledAtMs = now();
    return c.json(record.dto);
  });

  // Signs and submits the chain transaction: the Pioneer's wallet for U2A, the app wallet for A2U.
  // `memo`, `amount` and `to` default to what Pi would verify; override them to provoke a mismatch.
  app.post('/_emulator/payments/:id/transaction', async (c) => {
    const record = world.payments.get(c.req.param('id'));
    if (!record) return piError(c, 404, 'payment_not_found', 'Payment not found.');
    expireUnapproved(world, record);
    const { dto } = record;
    // A finished payment takes no transaction: the wallet refuses to sign for it, as Pi refuses to act on it.
    const done = finished(c, record);
    if (done) return done;
    if (!dto.status.developer_approved)
      return piError(c, 400, 'not_approved', 'The developer has not approved the payment.');
    const body = await jsonBody(c);
    const input = isObject(body) ? body : {};
    const txid = newTxid();
    world.ledger.set(txid, {
      txid,
      memo: typeof input.memo === 'string' ? input.memo : dto.identifier,
      amount: typeof input.amount === 'number' ? input.amount : dto.amount,
      from: dto.from_address,
      to: typeof input.to === 'string' ? input.to : dto.to_address,
      createdAtMs: now(),
      successful: true,
    });
    // U2A: the Pi SDK reports the txid, so Pi links it whatever its memo. A2U: nobody reports the
    // txid; Pi links it only when the app completes with it. Until then the payment says
    // `transaction: null` although the tx is on chain, as reported in spec pi.md §11 I-1.
    const linked = !dto.transaction && dto.direction === 'user_to_app';
    if (linked) linkTransaction(world, record, txid);
    return c.json({ txid, linked, payment: dto });
  });

  app.get('/_emulator/horizon/transactions/:txid', (c) => {
    const tx = world.ledger.get(c.req.param('txid'));
    if (!tx) return c.json({ status: 404, title: 'Resource Missing' }, 404);
    return c.json(horizonTransaction(tx));
  });

  // The first Horizon-like routes of the emulator, kept for apps that call them: the records carry
  // an `operations` summary besides Horizon's fields. The real Horizon routes are in horizon.ts.
  app.get('/_emulator/horizon/accounts/:account/transactions', (c) =>
    accountTransactions(c, world, c.req.param('account'), ({ tx, token }) => ({
      ...horizonTransaction(tx),
      paging_token: String(token),
    })),
  );

  // Funds, drains or removes an account of the emulated chain, or moves its sequence number (as
  // another transaction of the wallet would): `{ balance?: number (Pi) | null, sequence?: string }`.
  app.post('/_emulator/horizon/accounts/:account', async (c) => {
    const account = c.req.param('account');
    if (!isAddress(account)) return piError(c, 400, 'invalid_address', 'Not a Stellar account id.');
    const body = await jsonBody(c);
    const input = isObject(body) ? body : {};
    if (input.balance === null) {
      world.accounts.delete(account);
      return c.json({ account, exists: false });
    }
    const entry = world.accounts.get(account) ?? { balance: 0n, sequence: BigInt(world.ledgerNumber) << 32n };
    if (typeof input.balance === 'number' && input.balance >= 0) {
      entry.balance = BigInt(Math.round(input.balance * 1e7));
    }
    if (typeof input.sequence === 'string' && /^[0-9]{1,19}$/.test(input.sequence)) {
      entry.sequence = BigInt(input.sequence);
    }
    world.accounts.set(account, entry);
    return c.json({
      account,
      exists: true,
      balance: entry.balance.toString(),
      sequence: entry.sequence.toString(),
    });
  });

  app.post('/_emulator/ads', async (c) => {
    const body = await jsonBody(c);
    const input = isObject(body) ? body : {};
    const piApp = world.apps.find((a) => a.id === (input.app ?? world.apps[0]?.id));
    if (!piApp) return piError(c, 404, 'app_not_found', 'No emulator app with that id.');
    const status = input.status === undefined ? 'granted' : input.status;
    if (status !== 'granted' && status !== 'revoked' && status !== 'failed' && status !== null) {
      return piError(c, 400, 'invalid_arguments', 'status must be granted, revoked, failed or null.');
    }
    const adId = newAccessToken()
      .slice(0, 24)
      .replace(/[^A-Za-z0-9]/g, 'x');
    const at = isoAt(now());
    world.ads.set(adId, {
      appId: piApp.id,
      status,
      grantedAt: status === 'granted' || status === 'revoked' ? at : null,
      revokedAt: status === 'revoked' ? at : null,
    });
    return c.json({ adId });
  });

  app.get('/_emulator/notifications', (c) => c.json(world.notifications));
}

/** A ledger transaction as a Horizon transaction resource, plus a summary of its payment. */
function horizonTransaction(tx: LedgerTx) {
  return {
    ...transactionResource(tx, ''),
    operations: [{ type: 'payment', to: tx.to, amount: tx.amount.toFixed(7), asset_type: 'native' }],
  };
}
