import { describe, expect, it } from 'vitest';
import { leaveQuestion } from './leaveQuestion.ts';

const root = { id: 3, name: 'on-prem', internetAddress: '203.0.113.3', overlay: '10.3.0.0/16', maxClients: 40 };

describe('leaveQuestion', () => {
  it.each([
    { isNew: false, changed: ['overlay'] as const, invalid: true, want: 'Your changes to the overlay of on-prem are not saved, and have problems to fix before they can be. Discard them, or keep editing?' },
    { isNew: false, changed: ['name', 'maxClients'] as const, invalid: false, want: 'Your changes to the name, max clients of on-prem are not saved yet. Discard them, or keep editing?' },
    { isNew: true, changed: ['name'] as const, invalid: false, want: 'Your changes to the name of the new root are not saved yet. Discard them, or keep editing?' },
  ])('names the fields that would be lost ($changed)', ({ isNew, changed, invalid, want }) => {
    const question = leaveQuestion(root, isNew, { changed, invalid });
    expect(question.message).toBe(want);
    expect(question.title).toBe(`Discard your changes to ${isNew ? 'the new root' : 'on-prem'}?`);
  });
});
