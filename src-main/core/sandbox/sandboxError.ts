// What a sandbox command could not do, in words for the user: the command prints the message and exits 1.
export class SandboxError extends Error {
  override name = 'SandboxError';
}
