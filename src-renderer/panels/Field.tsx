// A labelled form control with its problems right under it, tied together for screen readers.
import { useId } from 'react';
import type { ReactNode } from 'react';

/** `children` draws the control with the id its label names and the id of its problems, when there are any. */
export function Field({ label, messages, fieldName, children }: { label: string; messages: string[] | undefined; fieldName: string; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const problemId = `${id}-problem`;
  return (
    <div className="field" data-field={fieldName}>
      <label htmlFor={id}>{label}</label>
      {children(id, messages ? problemId : undefined)}
      {messages && (
        <p className="field-problem" id={problemId} role="alert">
          {messages.join('; ')}
        </p>
      )}
    </div>
  );
}
