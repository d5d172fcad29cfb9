// The agent's log as its features are given it: one event with its fields per line (main.ts writes them as JSON).
export type AgentLog = (event: string, fields?: Record<string, unknown>) => void;
