// The files of a part that are backend configuration: all but the agent's own enrollment material, which the enroll
// route reads from the stored package (sealed there), so a CA key never lands in clear in a backend's folder.
import { isEnrollmentFile } from '../../src-shared/protocol/enrollmentFiles.ts';
import type { FileSnapshot } from './types.ts';

export function configFiles(files: FileSnapshot): FileSnapshot {
  return Object.fromEntries(Object.entries(files).filter(([path]) => !isEnrollmentFile(path)));
}
