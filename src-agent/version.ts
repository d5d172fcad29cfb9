// The agent's version: stamped into the bundle at build time, "dev" when run from source.

declare const RAINCOAT_AGENT_VERSION: string | undefined;

export const AGENT_VERSION: string = typeof RAINCOAT_AGENT_VERSION === 'string' ? RAINCOAT_AGENT_VERSION : 'dev';
