// Whether the page has painted since the component first drew: what the first picture can do without (the minimap)
// waits for it, so that the roots and tunnels are on screen first.
import { useEffect, useState } from 'react';

export function usePaintedSinceMount(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A frame's callbacks run before it is laid out and painted; a task they queue runs after.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted;
}
