// A modal dialog that is read and closed: its title, its body, its buttons ending in Close (focused when it opens, so
// Enter or Escape closes it).
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

export interface ClosingDialogProps {
  title: string;
  /** Extra classes for the dialog box (`wide-dialog`, `plan-dialog`). */
  className: string;
  onClose(): void;
  children: ReactNode;
  /** Buttons before Close. */
  buttons?: ReactNode;
}

export function ClosingDialog({ title, className, onClose, children, buttons }: ClosingDialogProps) {
  const titleId = useId();
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className={`dialog ${className}`} role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="dialog-buttons">
          {buttons}
          <button type="button" ref={close} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
