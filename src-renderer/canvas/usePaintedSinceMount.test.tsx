// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { usePaintedSinceMount } from './usePaintedSinceMount.ts';

afterEach(cleanup);

function Probe() {
  return <p>{usePaintedSinceMount() ? 'painted' : 'first drawing'}</p>;
}

describe('usePaintedSinceMount', () => {
  it('is false in the first drawing, true once a frame has gone by', async () => {
    const frames = vi.spyOn(window, 'requestAnimationFrame');
    const view = render(<Probe />);
    expect(view.container.textContent).toBe('first drawing');
    expect(frames).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(view.container.textContent).toBe('painted'));
    frames.mockRestore();
  });
});
