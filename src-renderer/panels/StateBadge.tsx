// A status or deploy state as icon and word in its colour: the icon's shape tells states apart without colour, the word says it.
import type { Look } from '../overlay/nodeStatus.ts';

export function StateBadge({ look }: { look: Look }) {
  return (
    <span className={`state tone-${look.tone}`}>
      <span className="state-icon" aria-hidden="true">
        {look.icon}
      </span>{' '}
      {look.word}
    </span>
  );
}
