// The agent's log as its features are given it: one event with its fields per line, written as JSON (logLine).
export type AgentLog = (event: string, fields?: Record<string, unknown>) => void;

/** One line of the log, the time first; never secrets (keys and tokens are not passed to the log). */
export function logLine(event: string, fields: Record<string, unknown> = {}, at = new Date()): string {
  return `${JSON.stringify({ t: at.toISOString(), event, ...fields })}\n`;
}
