// Walks a file or folder of a snapshot into bytes: a file's content blobs, or a tar of a folder.
import { displayName } from "./encoding.js";
import type { TreeNode } from "./format.js";
import type { Repository } from "./repository.js";
import { tarEnd, tarHeader, tarPadding } from "./tar.js";

export interface Progress {
  (doneBytes: number, totalBytes: number): void;
}

export async function* fileBytes(repo: Repository, node: TreeNode, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const chunk of repo.fileChunks(node, signal)) {
    signal.throwIfAborted();
    yield chunk;
  }
}

interface Planned {
  readonly path: Uint8Array;
  readonly node: TreeNode;
}

function join(parent: Uint8Array, name: Uint8Array): Uint8Array {
  if (parent.length === 0) return name;
  const out = new Uint8Array(parent.length + 1 + name.length);
  out.set(parent);
  out[parent.length] = 0x2f;
  out.set(name, parent.length + 1);
  return out;
}

/** Every entry under a folder, depth first, with the total of its file sizes. */
export async function planFolder(repo: Repository, folder: TreeNode, signal: AbortSignal): Promise<{ entries: Planned[]; total: number }> {
  const entries: Planned[] = [];
  let total = 0;
  const visit = async (node: TreeNode, path: Uint8Array): Promise<void> => {
    signal.throwIfAborted();
    entries.push({ path, node });
    if (node.type === "file") total += node.size;
    if (node.type === "dir" && node.subtree) {
      for (const child of await repo.tree(node.subtree, signal)) await visit(child, join(path, child.name));
    }
  };
  await visit(folder, folder.name);
  return { entries, total };
}

function mtimeSeconds(node: TreeNode): number {
  const t = Date.parse(node.mtime);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

/** A tar of planned entries; files, folders and symlinks (other kinds are left out: they are not restored off the owner's host). */
export async function* folderTar(repo: Repository, entries: Planned[], signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for (const { path, node } of entries) {
    if (node.type !== "file" && node.type !== "dir" && node.type !== "symlink") continue;
    const linkTarget = node.linkTarget === undefined ? undefined : new TextEncoder().encode(node.linkTarget);
    yield* tarHeader({ path, type: node.type, size: node.size, mode: node.mode, mtimeSeconds: mtimeSeconds(node), ...(linkTarget ? { linkTarget } : {}) });
    if (node.type === "file") {
      let written = 0;
      for await (const chunk of fileBytes(repo, node, signal)) {
        written += chunk.length;
        yield chunk;
      }
      if (written !== node.size) throw new Error(`${displayName(path)}: ${written} bytes where the tree says ${node.size}`);
      yield tarPadding(node.size);
    }
  }
  yield tarEnd();
}
