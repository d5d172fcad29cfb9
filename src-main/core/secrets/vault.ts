// An administrator's secrets, sealed and opened: one random data key, wrapped under the passphrase (scrypt) and, where
// there is one, by the OS's store. Once open, a vault seals and opens any number of envelopes without scrypt again,
// and every envelope it seals carries the same passphrase wrap, so any of them opens, elsewhere, with the passphrase.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SEALED_ENVELOPE_FORMAT, SEALED_ENVELOPE_VERSION } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { OsWrap, PassphraseWrap, ScryptCost, SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { OsBox } from './osBox.ts';
import { DEFAULT_SCRYPT_COST, deriveKey } from './scryptKey.ts';

/**
 * `portable`: the passphrase wrap alone, for what leaves this machine (the administrator's state on the roots);
 * `this-machine`: with the OS store's wrap too, so that this machine opens it without asking.
 */
export type SealFor = 'portable' | 'this-machine';

export interface Vault {
  seal(purpose: string, data: Uint8Array, sealFor: SealFor): Promise<SealedEnvelope>;
  /** The data of an envelope this vault sealed (its key, its purpose); undefined for any other or a damaged one. */
  open(envelope: SealedEnvelope, purpose: string): Uint8Array | undefined;
  /** True when `envelope` was sealed under this vault's data key (it carries the same passphrase wrap). */
  holds(envelope: SealedEnvelope): boolean;
}

/** Why a vault did not open: the passphrase is not the one, or the key opened and the data did not authenticate. */
export type Unsealed = { ok: true; vault: Vault } | { ok: false; why: 'wrong-passphrase' | 'damaged' };

const KEY_CONTEXT = `${SEALED_ENVELOPE_FORMAT} v${SEALED_ENVELOPE_VERSION} data key`;
const dataContext = (purpose: string) => `${SEALED_ENVELOPE_FORMAT} v${SEALED_ENVELOPE_VERSION} ${purpose}`;
const TAG_BYTES = 16;

/** A new data key, wrapped under `passphrase` at `cost`. */
export async function createVault(passphrase: string, box: OsBox | undefined, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<Vault> {
  const dataKey = randomBytes(32);
  const salt = randomBytes(16);
  const wrapped = encrypt(await deriveKey(passphrase, salt, cost), dataKey, KEY_CONTEXT);
  return vaultOf(dataKey, { kdf: 'scrypt', ...cost, salt: salt.toString('base64url'), ...wrapped }, undefined, box);
}

/** The vault that sealed `envelope`, opened with the passphrase (one scrypt run, at the envelope's own cost). */
export async function openWithPassphrase(envelope: SealedEnvelope, purpose: string, passphrase: string, box: OsBox | undefined): Promise<Unsealed> {
  const wrap = envelope.passphraseKey;
  const dataKey = decrypt(await deriveKey(passphrase, Buffer.from(wrap.salt, 'base64url'), wrap), wrap, KEY_CONTEXT);
  if (dataKey === undefined) return { ok: false, why: 'wrong-passphrase' };
  return checked(vaultOf(dataKey, wrap, envelope.osKey, box), envelope, purpose);
}

/** The vault that sealed `envelope`, opened by this machine's OS store; undefined when the store cannot open it. */
export async function openWithBox(envelope: SealedEnvelope, purpose: string, box: OsBox): Promise<Vault | undefined> {
  const osKey = envelope.osKey;
  if (osKey === undefined || osKey.box !== box.name) return undefined;
  const opened = await box.open(Buffer.from(osKey.ct, 'base64url')).catch(() => undefined);
  if (opened === undefined || opened.secret.length !== 32) return undefined;
  // A rotated store's wrap is dropped, so the next seal for this machine wraps the key anew.
  const unsealed = checked(vaultOf(Buffer.from(opened.secret), envelope.passphraseKey, opened.reseal ? undefined : osKey, box), envelope, purpose);
  return unsealed.ok ? unsealed.vault : undefined;
}

function checked(vault: Vault, envelope: SealedEnvelope, purpose: string): Unsealed {
  return vault.open(envelope, purpose) === undefined ? { ok: false, why: 'damaged' } : { ok: true, vault };
}

function vaultOf(dataKey: Buffer, passphraseKey: PassphraseWrap, known: OsWrap | undefined, box: OsBox | undefined): Vault {
  let osKey = known;
  const osWrap = async (): Promise<OsWrap | undefined> => {
    if (osKey !== undefined || box === undefined) return osKey;
    // A store that fails leaves the envelope to the passphrase alone: it still opens, only not without asking.
    const sealed = await box.seal(dataKey).catch(() => undefined);
    osKey = sealed && { box: box.name, ct: Buffer.from(sealed).toString('base64url') };
    return osKey;
  };
  return {
    async seal(purpose, data, sealFor) {
      const os = sealFor === 'this-machine' ? await osWrap() : undefined;
      return {
        format: SEALED_ENVELOPE_FORMAT,
        version: SEALED_ENVELOPE_VERSION,
        purpose,
        data: encrypt(dataKey, data, dataContext(purpose)),
        passphraseKey,
        ...(os ? { osKey: os } : {}),
      };
    },
    open: (envelope, purpose) => (envelope.purpose === purpose ? decrypt(dataKey, envelope.data, dataContext(purpose)) : undefined),
    holds: (envelope) => envelope.passphraseKey.salt === passphraseKey.salt && envelope.passphraseKey.ct === passphraseKey.ct,
  };
}

function encrypt(key: Buffer, plain: Uint8Array, context: string): { iv: string; ct: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString('base64url'), ct: ct.toString('base64url') };
}

/** Undefined when the key is not the one or anything was changed (GCM's tag does not match). */
function decrypt(key: Buffer, sealed: { iv: string; ct: string }, context: string): Buffer | undefined {
  const ct = Buffer.from(sealed.ct, 'base64url');
  if (ct.length < TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
