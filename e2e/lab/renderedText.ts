// Rendered files in a lab test: written as `raincoat render` writes them, and each one's text looked up by path.
import type { RenderedFile } from '../../src-main/core/render/renderNodeFiles.ts';
import { writeRenderedTree } from '../../src-main/core/renderOutput/writeRenderedTree.ts';

/** A rendered file's text by its path in the output folder (`root-1/swanctl.conf`, `clients/client-1-1.ovpn`). */
export type Rendered = (path: string) => string;

/** Writes `files` into `dir` as render does, and returns their text by path; a path nothing was rendered at throws. */
export async function writeRendered(dir: string, files: readonly RenderedFile[]): Promise<Rendered> {
  await writeRenderedTree(dir, files);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return (path) => {
    const content = byPath.get(path);
    if (content === undefined) throw new Error(`nothing rendered at ${path}`);
    return content;
  };
}
