// The overlay's topology model: zod schemas that give both the TypeScript types and the structural validation.
import { z } from 'zod';
import { parseCidr, parseIpv4 } from '../net/ipv4.ts';
import { MAX_CLIENTS_PER_ROOT } from '../plan/planConstants.ts';
import { internetAddressRefusal, overlayRefusal } from './addressRules.ts';

/**
 * Each schema's error text is the "expected …" half of a problem message; `validateTopology`
 * adds the path and what was found, so every structural message reads `path: expected X, found Y`.
 * An address written right that cannot be used is explained in a sentence instead (`addressRules.ts`).
 */
const expecting = (what: string) => ({ error: () => `expected ${what}` });

const ID = 'a positive integer';
export const RootIdSchema = z.number(expecting(ID)).int(expecting(ID)).positive(expecting(ID)).max(2 ** 31 - 1, expecting(ID));

const NAME = 'a name of 1 to 63 printable characters';
export const RootNameSchema = z
  .string(expecting(NAME))
  .min(1, expecting(NAME))
  .max(63, expecting(NAME))
  // Control characters would break every configuration file the name is written into.
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), expecting(NAME));

const ADDRESS = 'an IPv4 address such as 203.0.113.10';
/** How an internet address is written; whether a host can have it is `internetAddressRefusal`'s to say. */
export const Ipv4Schema = z.string(expecting(ADDRESS)).refine((s) => parseIpv4(s) !== undefined, { ...expecting(ADDRESS), abort: true });
/** A literal an Internet host can have: not 0/8, loopback, link-local, multicast, reserved or broadcast. */
export const InternetAddressSchema = z.string(expecting(ADDRESS)).refine((s) => {
  const value = parseIpv4(s);
  return value !== undefined && internetAddressRefusal(value) === undefined;
}, expecting(ADDRESS));

const OVERLAY = 'an IPv4 /16 written a.b.0.0/16';
/** How an overlay is written (`a.b.c.d/n`); whether it is a usable /16 is `overlayRefusal`'s to say. */
export const CidrSchema = z.string(expecting(OVERLAY)).refine((s) => parseCidr(s) !== undefined, { ...expecting(OVERLAY), abort: true });
export const OverlaySchema = z.string(expecting(OVERLAY)).refine((s) => {
  const cidr = parseCidr(s);
  return cidr !== undefined && overlayRefusal(cidr) === undefined;
}, expecting(OVERLAY));

const MAX_CLIENTS = `an integer from 1 to ${MAX_CLIENTS_PER_ROOT} (what the address plan holds in a /16)`;
export const MaxClientsSchema = z
  .number(expecting(MAX_CLIENTS))
  .int(expecting(MAX_CLIENTS))
  .min(1, expecting(MAX_CLIENTS))
  .max(MAX_CLIENTS_PER_ROOT, expecting(MAX_CLIENTS));

const POSITION = 'a finite number';
export const PositionSchema = z.strictObject(
  { x: z.number(expecting(POSITION)).finite(expecting(POSITION)), y: z.number(expecting(POSITION)).finite(expecting(POSITION)) },
  expecting('an object {"x": number, "y": number}'),
);

/** `existing` is any other host reached by SSH; Azure, GCP and on-premises hosts are named so that their NAT is known. */
export const CLOUD_PROVIDERS = ['existing', 'ec2', 'eucalyptus', 'azure', 'gcp', 'on-premises'] as const;
export const CloudProviderSchema = z.enum(CLOUD_PROVIDERS, expecting(`one of ${CLOUD_PROVIDERS.map((p) => `"${p}"`).join(', ')}`));

/**
 * Where a root lives. `natted` says whether the root's internet address sits on the box (false) or is
 * mapped one-to-one onto a private address by the cloud (true, as with an EC2 elastic IP).
 * When absent it follows the provider: see `isNatted`.
 */
export const CloudSchema = z.strictObject(
  {
    provider: CloudProviderSchema,
    natted: z.boolean(expecting('true or false')).optional(),
  },
  expecting('an object such as {"provider": "existing"}'),
);

/**
 * A root, its two addresses checked by the schemas given. Not `.extend`: its copy of the shape overwrites two fields
 * of an object shaped like a parsed root, and V8 then reads those fields of every parsed root more slowly (plan benchmark).
 */
function rootSchema<A extends z.ZodType<string>, O extends z.ZodType<string>>(internetAddress: A, overlay: O) {
  return z.strictObject(
    {
      id: RootIdSchema,
      name: RootNameSchema,
      internetAddress,
      overlay,
      maxClients: MaxClientsSchema,
      position: PositionSchema.optional(),
      cloud: CloudSchema.optional(),
    },
    expecting('a root object'),
  );
}

export const RootSchema = rootSchema(InternetAddressSchema, OverlaySchema);

/** A root with its addresses only as written: `validateTopology` parses with it, then says why an address cannot be used. */
export const RootShapeSchema = rootSchema(Ipv4Schema, CidrSchema);

export const TunnelSchema = z.strictObject({ a: RootIdSchema, b: RootIdSchema }, expecting('a tunnel object {"a": rootId, "b": rootId}'));

export const TopologySchema = z.strictObject(
  {
    roots: z.array(z.unknown(), expecting('an array of roots')),
    tunnels: z.array(z.unknown(), expecting('an array of tunnels')).optional(),
  },
  expecting('a topology object {"roots": [...], "tunnels": [...]}'),
);

export type Cloud = z.infer<typeof CloudSchema>;
export type CloudProvider = z.infer<typeof CloudProviderSchema>;
export type Root = z.infer<typeof RootSchema>;
export type Tunnel = z.infer<typeof TunnelSchema>;
/** A topology that passed `validateTopology`: every rule holds, `tunnels` is always present. */
export interface Topology {
  roots: Root[];
  tunnels: Tunnel[];
}

/** Whether a root's internet address is NATed one-to-one onto a private address on the box. */
export function isNatted(root: Root): boolean {
  return root.cloud?.natted ?? nattedByDefault(root.cloud?.provider);
}

/** Whether a cloud's machines are NATed when nothing says otherwise. */
export function nattedByDefault(provider: CloudProvider | undefined): boolean {
  // EC2, Eucalyptus, Azure and GCP hand out public IPs that the instance never sees on its interface.
  return provider === 'ec2' || provider === 'eucalyptus' || provider === 'azure' || provider === 'gcp';
}
