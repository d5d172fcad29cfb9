// How many clients an OpenVPN server has connected, from the status file it rewrites (`--status-version 2`).

/**
 * The CLIENT_LIST rows of a complete status file; undefined for one without its END line (OpenVPN truncates and
 * rewrites the file in place, so a read can catch it half written) or that is no version 2 status at all.
 */
export function connectedClients(statusText: string): number | undefined {
  const lines = statusText.split('\n').map((line) => line.trim());
  if (!lines.includes('END') || !lines.some((line) => line.startsWith('HEADER,CLIENT_LIST,'))) return undefined;
  return lines.filter((line) => line.startsWith('CLIENT_LIST,')).length;
}
