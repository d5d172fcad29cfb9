// Resolves when the process is asked to stop (Ctrl+C or a service manager's SIGTERM), so a host can log out and close first.
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
