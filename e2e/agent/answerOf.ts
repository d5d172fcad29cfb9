// The answer of an application request a test cannot go on without: a refusal fails the test with the agent's reason.
import type { AgentFailure } from '../../src-main/core/agentClient/agentAnswer.ts';

export function answerOf<R extends { ok: true; answer: unknown } | AgentFailure>(result: R): Extract<R, { ok: true }>['answer'] {
  if (!result.ok) throw new Error(`${result.code}${result.status === undefined ? '' : ` (HTTP ${result.status})`}: ${result.reason}`);
  return result.answer;
}
