// The seed's built-in administrator account (§8.1), known to the agents that check it and the application that makes
// the first administrator with it (the sandbox does at `up`): its password only ever lets one choose a new one.
export const DEFAULT_ADMINISTRATOR = { user: 'administrator', password: 'makeitrain' } as const;
